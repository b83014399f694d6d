package dev.machineoidc.bridge.json;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.nullValue;
import static org.hamcrest.Matchers.sameInstance;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.IOException;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class JsonScalarsTest {

    @Test
    void keepsStringsIntsLongsAndNullsAndMarksEverythingElse() throws IOException {
        Map<String, Object> fields = JsonScalars.parse("{\"s\":\"x\",\"i\":7,\"l\":12345678901,\"n\":null,"
                + "\"b\":true,\"f\":1.5,\"big\":123456789012345678901234,\"o\":{\"s\":\"deep\"},\"a\":[1]}");

        assertThat(fields.get("s"), equalTo("x"));
        assertThat(fields.get("i"), equalTo(7));
        assertThat(fields.get("l"), equalTo(12345678901L));
        assertThat(fields.containsKey("n"), equalTo(true));
        assertThat(fields.get("n"), nullValue());
        for (String other : new String[] {"b", "f", "big", "o", "a"}) {
            assertThat(other, fields.get(other), sameInstance(JsonScalars.OTHER));
        }
        assertThat(fields.size(), equalTo(9));
    }

    @Test
    void stringReadsOnlyStrings() throws IOException {
        Map<String, Object> fields = JsonScalars.parse("{\"s\":\"x\",\"i\":7}");

        assertThat(JsonScalars.string(fields, "s"), equalTo("x"));
        assertThat(JsonScalars.string(fields, "i"), nullValue());
        assertThat(JsonScalars.string(fields, "missing"), nullValue());
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "null", "[]", "\"x\"", "7", "{", "{\"a\":1", "{} {}", "{}x", "{\"a\":1,\"a\":2}", "{'a':1}"})
    void aDocumentThatIsNotExactlyOneObjectIsRefused(String text) {
        assertThrows(IOException.class, () -> JsonScalars.parse(text));
    }
}
