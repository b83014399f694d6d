package dev.machineoidc.keycloak.token;

import dev.machineoidc.keycloak.api.JsonBody;
import dev.machineoidc.keycloak.refusal.Refusal;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.NullSource;
import org.junit.jupiter.params.provider.ValueSource;

import java.util.Optional;
import java.util.stream.Stream;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.is;
import static org.junit.jupiter.api.Assertions.assertThrows;

class MintRequestTest {

    /** A body as an item of a batch reaches the mint path: parsed as JSON, then read into its typed request. */
    private static MintRequest parse(String raw) {
        return MintRequest.of(JsonBody.parse(raw));
    }

    @ParameterizedTest
    @NullSource
    @ValueSource(strings = {"", " ", "\r\n\t", "{}", " {} \n", "{\"aud\":null}", "{\"aws_principal_tags\":null}"})
    void emptyBodiesMeanAllDefaults(String raw) {
        MintRequest request = parse(raw);
        assertThat(request.audience(), is(Optional.empty()));
        assertThat(request.awsPrincipalTags(), is(false));
    }

    static Stream<Arguments> valid() {
        return Stream.of(
                Arguments.of("{\"aud\":\"sts.amazonaws.com\"}", "sts.amazonaws.com", false),
                Arguments.of("{\"aud\":\"https://vault.example.com\",\"aws_principal_tags\":true}",
                        "https://vault.example.com", true),
                Arguments.of("{\"aws_principal_tags\":true}", null, true),
                Arguments.of("{\"aws_principal_tags\":false}", null, false),
                Arguments.of("{\"aud\":\"x\"}", "x", false),
                Arguments.of("{\"aud\":\"" + "a".repeat(256) + "\"}", "a".repeat(256), false),
                Arguments.of("{\"aud\":\"with space\"}", "with space", false),
                // unknown fields are ignored, whatever their type
                Arguments.of("{\"aud\":\"a\",\"extra\":1,\"nested\":{\"x\":[1,2]},\"audience\":\"b\"}", "a", false),
                Arguments.of("{\"sub\":\"org:app:other\",\"machine_id\":\"ffffffffffffff\"}", null, false));
    }

    @ParameterizedTest
    @MethodSource("valid")
    void validBodies(String raw, String audience, boolean aws) {
        MintRequest request = parse(raw);
        assertThat(request.audience(), is(Optional.ofNullable(audience)));
        assertThat(request.awsPrincipalTags(), is(aws));
    }

    static Stream<Arguments> invalid() {
        return Stream.of(
                // malformed JSON
                Arguments.of("{", "invalid_json"),
                Arguments.of("{\"aud\":", "invalid_json"),
                Arguments.of("{aud:\"x\"}", "invalid_json"),
                Arguments.of("aud=x", "invalid_json"),
                Arguments.of("{\"aud\":\"x\",}", "invalid_json"),
                // not an object
                Arguments.of("[]", "invalid_json"),
                Arguments.of("[{\"aud\":\"x\"}]", "invalid_json"),
                Arguments.of("\"sts.amazonaws.com\"", "invalid_json"),
                Arguments.of("null", "invalid_json"),
                Arguments.of("1", "invalid_json"),
                // wrong types
                Arguments.of("{\"aud\":1}", "invalid_request"),
                Arguments.of("{\"aud\":true}", "invalid_request"),
                Arguments.of("{\"aud\":[\"a\"]}", "invalid_request"),
                Arguments.of("{\"aud\":{}}", "invalid_request"),
                Arguments.of("{\"aws_principal_tags\":\"true\"}", "invalid_request"),
                Arguments.of("{\"aws_principal_tags\":1}", "invalid_request"),
                Arguments.of("{\"aws_principal_tags\":[]}", "invalid_request"),
                Arguments.of("{\"aud\":\"ok\",\"aws_principal_tags\":\"yes\"}", "invalid_request"),
                // invalid audiences
                Arguments.of("{\"aud\":\"\"}", "invalid_audience"),
                Arguments.of("{\"aud\":\"" + "a".repeat(257) + "\"}", "invalid_audience"),
                Arguments.of("{\"aud\":\"new\\nline\"}", "invalid_audience"),
                Arguments.of("{\"aud\":\"tab\\t\"}", "invalid_audience"),
                Arguments.of("{\"aud\":\"nul\\u0000\"}", "invalid_audience"),
                Arguments.of("{\"aud\":\"del\\u007f\"}", "invalid_audience"),
                Arguments.of("{\"aud\":\"caf\u00e9\"}", "invalid_audience"),
                Arguments.of("{\"aud\":\"caf\\u00e9\"}", "invalid_audience"));
    }

    @ParameterizedTest
    @MethodSource("invalid")
    void invalidBodiesAnswer400WithTheirCode(String raw, String code) {
        Refusal error = assertThrows(Refusal.class, () -> parse(raw));
        assertThat(error.kind().status(), is(400));
        assertThat(error.code(), is(code));
    }

    /** Content after the JSON object makes the body malformed JSON, not a valid request. */
    @ParameterizedTest
    @ValueSource(strings = {"{\"aud\":\"a\"}}", "{\"aud\":\"a\"} trailing", "{} {}", "{\"aud\":\"a\"}[1]"})
    void trailingContentIsMalformedJson(String raw) {
        Refusal error = assertThrows(Refusal.class, () -> parse(raw));
        assertThat(error.kind().status(), is(400));
        assertThat(error.code(), is("invalid_json"));
    }

    @Test
    void errorsNeverEchoTheBody() {
        String secret = "eyJhbGciOiJSUzI1NiJ9.secret-looking";
        Refusal error = assertThrows(Refusal.class, () -> parse("{\"aud\":\"" + secret + "\u00e9\"}"));
        assertThat(error.getMessage().contains(secret), is(false));
        assertThat(error.json().toString().contains(secret), is(false));
    }
}
