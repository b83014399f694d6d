package dev.machineoidc.keycloak.machine;

import dev.machineoidc.keycloak.refusal.Refusal;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.util.stream.Stream;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.is;
import static org.junit.jupiter.api.Assertions.assertThrows;

class NamesTest {

    static Stream<Arguments> names() {
        return Stream.of(
                Arguments.of(null, false),
                Arguments.of("", false),
                Arguments.of("a", true),
                Arguments.of("0", true),
                Arguments.of("example-org", true),
                Arguments.of("a1-b2-c3", true),
                Arguments.of("9lives", true),
                Arguments.of("a-", true),
                Arguments.of("a--b", true),
                Arguments.of("a".repeat(63), true),
                Arguments.of("a".repeat(64), false),
                Arguments.of("Example", false),
                Arguments.of("exAmple", false),
                Arguments.of("-leading", false),
                Arguments.of("under_score", false),
                Arguments.of("dot.ted", false),
                Arguments.of("sp ace", false),
                Arguments.of(" lead", false),
                Arguments.of("trail ", false),
                Arguments.of("slash/es", false),
                Arguments.of("colon:s", false),
                Arguments.of("caf\u00e9", false),
                Arguments.of("new\nline", false));
    }

    @ParameterizedTest
    @MethodSource("names")
    void isValid(String name, boolean valid) {
        assertThat(Names.isValid(name), is(valid));
    }

    @ParameterizedTest
    @MethodSource("names")
    void requireReturnsTheNameOrAnswers400(String name, boolean valid) {
        if (valid) {
            assertThat(Names.require("app", name), is(name));
        } else {
            Refusal error = assertThrows(Refusal.class, () -> Names.require("app", name));
            assertThat(error.kind().status(), is(400));
            assertThat(error.code(), is("invalid_name"));
            assertThat(error.getMessage(), containsString("app name"));
        }
    }
}
