package dev.machineoidc.keycloak.api;

import dev.machineoidc.keycloak.refusal.Refusal;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.NullSource;
import org.junit.jupiter.params.provider.ValueSource;

import java.util.List;
import java.util.Optional;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.is;
import static org.junit.jupiter.api.Assertions.assertThrows;

class JsonBodyTest {

    static Refusal badRequest(Executable call, String code) {
        Refusal error = assertThrows(Refusal.class, call);
        assertThat(error.kind().status(), is(400));
        assertThat(error.code(), is(code));
        return error;
    }

    @ParameterizedTest
    @NullSource
    @ValueSource(strings = {"", " ", "\n\t ", "{}", " { } "})
    void emptyBodiesAreAnEmptyObject(String raw) {
        JsonBody body = JsonBody.parse(raw);
        assertThat(body.optionalString("aud"), is(Optional.empty()));
        assertThat(body.optionalBoolean("x"), is(Optional.empty()));
        assertThat(body.optionalInteger("x"), is(Optional.empty()));
        assertThat(body.optionalStringList("x"), is(Optional.empty()));
        assertThat(body.optionalObject("x"), is(Optional.empty()));
    }

    @ParameterizedTest
    @ValueSource(strings = {"{", "{\"a\":}", "not json", "{'a':1}", "[1,", "\"unterminated"})
    void malformedJsonIsInvalidJson(String raw) {
        badRequest(() -> JsonBody.parse(raw), "invalid_json");
    }

    @ParameterizedTest
    @ValueSource(strings = {"[]", "[{}]", "\"text\"", "42", "true", "null"})
    void nonObjectJsonIsInvalidJson(String raw) {
        badRequest(() -> JsonBody.parse(raw), "invalid_json");
    }

    @Test
    void stringAccessors() {
        JsonBody body = JsonBody.parse("{\"s\":\"v\",\"n\":null,\"i\":1,\"b\":true,\"o\":{},\"a\":[]}");
        assertThat(body.optionalString("s"), is(Optional.of("v")));
        assertThat(body.requiredString("s"), is("v"));
        assertThat(body.optionalString("n"), is(Optional.empty()));
        assertThat(body.optionalString("missing"), is(Optional.empty()));
        for (String wrong : List.of("i", "b", "o", "a")) {
            Refusal error = badRequest(() -> body.optionalString(wrong), "invalid_request");
            assertThat(error.getMessage(), containsString("'" + wrong + "'"));
        }
        Refusal missing = badRequest(() -> body.requiredString("missing"), "invalid_request");
        assertThat(missing.getMessage(), containsString("'missing' is required"));
        badRequest(() -> body.requiredString("n"), "invalid_request");
    }

    @Test
    void booleanAccessor() {
        JsonBody body = JsonBody.parse("{\"t\":true,\"f\":false,\"n\":null,\"s\":\"true\",\"i\":1}");
        assertThat(body.optionalBoolean("t"), is(Optional.of(true)));
        assertThat(body.optionalBoolean("f"), is(Optional.of(false)));
        assertThat(body.optionalBoolean("n"), is(Optional.empty()));
        assertThat(body.optionalBoolean("missing"), is(Optional.empty()));
        assertThat(badRequest(() -> body.optionalBoolean("s"), "invalid_request").getMessage(), containsString("'s'"));
        badRequest(() -> body.optionalBoolean("i"), "invalid_request");
    }

    @Test
    void integerAccessor() {
        JsonBody body = JsonBody.parse("{\"i\":600,\"neg\":-3,\"big\":9223372036854775807,"
                + "\"tooBig\":9223372036854775808,\"f\":1.0,\"s\":\"600\",\"b\":true,\"n\":null}");
        assertThat(body.optionalInteger("i"), is(Optional.of(600L)));
        assertThat(body.optionalInteger("neg"), is(Optional.of(-3L)));
        assertThat(body.optionalInteger("big"), is(Optional.of(Long.MAX_VALUE)));
        assertThat(body.optionalInteger("n"), is(Optional.empty()));
        assertThat(body.optionalInteger("missing"), is(Optional.empty()));
        for (String wrong : List.of("tooBig", "f", "s", "b")) {
            assertThat(badRequest(() -> body.optionalInteger(wrong), "invalid_request").getMessage(),
                    containsString("'" + wrong + "' must be an integer"));
        }
    }

    @Test
    void numberAccessor() {
        JsonBody body = JsonBody.parse("{\"i\":10,\"f\":0.25,\"neg\":-1.5,\"huge\":1e400,\"s\":\"10\",\"b\":false,"
                + "\"l\":[1],\"n\":null}");
        assertThat(body.optionalNumber("i"), is(Optional.of(10.0)));
        assertThat(body.optionalNumber("f"), is(Optional.of(0.25)));
        assertThat(body.optionalNumber("neg"), is(Optional.of(-1.5)));
        assertThat(body.optionalNumber("n"), is(Optional.empty()));
        assertThat(body.optionalNumber("missing"), is(Optional.empty()));
        for (String wrong : List.of("huge", "s", "b", "l")) {
            assertThat(badRequest(() -> body.optionalNumber(wrong), "invalid_request").getMessage(),
                    containsString("'" + wrong + "' must be a number"));
        }
    }

    @Test
    void stringListAccessor() {
        JsonBody body = JsonBody.parse("{\"l\":[\"a\",\"b\"],\"e\":[],\"mixed\":[\"a\",1],\"nul\":[null],"
                + "\"s\":\"a\",\"n\":null}");
        assertThat(body.optionalStringList("l"), is(Optional.of(List.of("a", "b"))));
        assertThat(body.optionalStringList("e"), is(Optional.of(List.of())));
        assertThat(body.optionalStringList("n"), is(Optional.empty()));
        for (String wrong : List.of("mixed", "nul", "s")) {
            assertThat(badRequest(() -> body.optionalStringList(wrong), "invalid_request").getMessage(),
                    containsString("'" + wrong + "'"));
        }
    }

    @Test
    void objectAccessor() {
        JsonBody body = JsonBody.parse("{\"o\":{\"k\":1},\"a\":[],\"s\":\"{}\",\"n\":null}");
        assertThat(body.optionalObject("o").orElseThrow().get("k").intValue(), is(1));
        assertThat(body.optionalObject("n"), is(Optional.empty()));
        assertThat(body.optionalObject("missing"), is(Optional.empty()));
        badRequest(() -> body.optionalObject("a"), "invalid_request");
        badRequest(() -> body.optionalObject("s"), "invalid_request");
    }
}
