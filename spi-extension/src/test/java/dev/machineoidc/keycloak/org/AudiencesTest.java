package dev.machineoidc.keycloak.org;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.util.stream.Stream;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.is;

class AudiencesTest {

    static Stream<Arguments> audiences() {
        return Stream.of(
                Arguments.of(null, false),
                Arguments.of("", false),
                Arguments.of("a", true),
                Arguments.of("sts.amazonaws.com", true),
                Arguments.of("https://oidc.example.com/example-org", true),
                Arguments.of("with space", true),
                Arguments.of(" ", true),
                Arguments.of("!~{}[]\"'\\*?", true),
                Arguments.of("a".repeat(256), true),
                Arguments.of("a".repeat(257), false),
                Arguments.of("tab\t", false),
                Arguments.of("new\nline", false),
                Arguments.of("nul\u0000", false),
                Arguments.of("\u001f", false),
                Arguments.of("del\u007f", false),
                Arguments.of("caf\u00e9", false),
                Arguments.of("\u00a0", false),
                Arguments.of("emoji\uD83D\uDE00", false));
    }

    @ParameterizedTest
    @MethodSource("audiences")
    void isValid(String audience, boolean valid) {
        assertThat(Audiences.isValid(audience), is(valid));
    }
}
