package dev.machineoidc.bridge.api;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertThrows;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.machineoidc.bridge.mint.TokenRequest;
import dev.machineoidc.bridge.testing.SharedRules;
import java.nio.charset.StandardCharsets;
import java.util.HexFormat;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

class TokenRequestParserTest {

    private final TokenRequestParser parser = new TokenRequestParser();

    private TokenRequest parse(String body) throws ApiError {
        return parser.parse(body.getBytes(StandardCharsets.UTF_8));
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', quoteCharacter = '`', value = {
        "empty body                  | ``                                                   | -                 | false",
        "whitespace only             | ` \n `                                               | -                 | false",
        "empty object                | {}                                                   | -                 | false",
        "aud                         | {\"aud\":\"sts.amazonaws.com\"}                      | sts.amazonaws.com | false",
        "tags                        | {\"aws_principal_tags\":true}                        | -                 | true",
        "both                        | {\"aud\":\"vault\",\"aws_principal_tags\":true}      | vault             | true",
        "tags false                  | {\"aws_principal_tags\":false}                       | -                 | false",
        "null aud is absent          | {\"aud\":null}                                       | -                 | false",
        "null tags is false          | {\"aws_principal_tags\":null}                        | -                 | false",
        "unknown fields ignored      | {\"x\":{\"deep\":[1,2,{\"y\":null}]},\"aud\":\"a\"}  | a                 | false",
        "aud with spaces and symbols | {\"aud\":\"api://AzureADTokenExchange ~\"}           | api://AzureADTokenExchange ~ | false",
    })
    void accepts(String name, String body, String audience, boolean tags) throws ApiError {
        TokenRequest request = parse(body);

        assertThat(request.audience(), equalTo("-".equals(audience) ? Optional.empty() : Optional.of(audience)));
        assertThat(request.awsPrincipalTags(), equalTo(tags));
    }

    @ParameterizedTest
    @MethodSource("validAudiences")
    void anAudienceTheSharedTableAcceptsIsAccepted(String audience) throws Exception {
        assertThat(parse(audienceBody(audience)).audience(), equalTo(Optional.of(audience)));
    }

    /** Sent as valid UTF-8, non-ASCII passes the strict decoding and is refused by the audience rule. */
    @ParameterizedTest
    @MethodSource("invalidAudiences")
    void anAudienceTheSharedTableRefusesIsRefused(String audience) {
        ApiError e = assertThrows(ApiError.class, () -> parse(audienceBody(audience)));

        assertThat(e.status(), equalTo(400));
        assertThat(e.code(), equalTo("invalid_audience"));
    }

    static Iterable<String> validAudiences() {
        return SharedRules.valid("audience");
    }

    static Iterable<String> invalidAudiences() {
        return SharedRules.invalid("audience");
    }

    private static String audienceBody(String audience) throws JsonProcessingException {
        return new ObjectMapper().writeValueAsString(Map.of("aud", audience));
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', quoteCharacter = '`', value = {
        "not JSON                 | aud=x                                  | invalid_request",
        "truncated                | {\"aud\":\"x\"                         | invalid_request",
        "single quotes            | {'aud':'x'}                            | invalid_request",
        "trailing comma           | {\"aud\":\"x\",}                       | invalid_request",
        "trailing content         | {} {}                                  | invalid_request",
        "array                    | [\"aud\"]                              | invalid_request",
        "string                   | \"sts.amazonaws.com\"                  | invalid_request",
        "JSON null                | null                                   | invalid_request",
        "aud number               | {\"aud\":42}                           | invalid_request",
        "aud array                | {\"aud\":[\"a\",\"b\"]}                | invalid_request",
        "aud object               | {\"aud\":{}}                           | invalid_request",
        "tags string              | {\"aws_principal_tags\":\"true\"}      | invalid_request",
        "tags number              | {\"aws_principal_tags\":1}             | invalid_request",
        "duplicate aud            | {\"aud\":\"a\",\"aud\":\"b\"}          | invalid_request",
        "empty aud                | {\"aud\":\"\"}                         | invalid_audience",
        "aud with newline         | {\"aud\":\"a\\nb\"}                    | invalid_audience",
        "aud with tab             | {\"aud\":\"a\\tb\"}                    | invalid_audience",
        "aud non-ASCII            | {\"aud\":\"ä\"}                        | invalid_audience",
        "aud with DEL             | {\"aud\":\"a\\u007f\"}                 | invalid_audience",
    })
    void rejectsWith400(String name, String body, String code) {
        ApiError error = assertThrows(ApiError.class, () -> parse(body));

        assertThat(error.status(), equalTo(400));
        assertThat(error.code(), equalTo(code));
    }

    /** Overlong forms (C0 AF is an overlong '/'), UTF-16 surrogates, truncated sequences and stray bytes. */
    @ParameterizedTest
    @ValueSource(strings = {"C0AF", "E080AF", "F08080AF", "EDA080", "E282", "FF", "80"})
    void malformedUtf8IsA400NeverDecodedLeniently(String hex) {
        byte[] bad = HexFormat.of().parseHex(hex);
        byte[] prefix = "{\"aud\":\"a".getBytes(StandardCharsets.US_ASCII);
        byte[] suffix = "b\"}".getBytes(StandardCharsets.US_ASCII);
        byte[] body = new byte[prefix.length + bad.length + suffix.length];
        System.arraycopy(prefix, 0, body, 0, prefix.length);
        System.arraycopy(bad, 0, body, prefix.length, bad.length);
        System.arraycopy(suffix, 0, body, prefix.length + bad.length, suffix.length);

        ApiError error = assertThrows(ApiError.class, () -> parser.parse(body));

        assertThat(error.status(), equalTo(400));
        assertThat(error.code(), equalTo("invalid_request"));
    }

    @Test
    void audienceLengthLimitIs256() throws ApiError {
        assertThat(parse("{\"aud\":\"" + "a".repeat(256) + "\"}").audience(), equalTo(Optional.of("a".repeat(256))));

        ApiError error = assertThrows(ApiError.class, () -> parse("{\"aud\":\"" + "a".repeat(257) + "\"}"));
        assertThat(error.code(), equalTo("invalid_audience"));
    }

    @Test
    void deepNestingIsA400NotACrash() {
        ApiError error = assertThrows(ApiError.class, () -> parse("{\"x\":" + "[".repeat(5000) + "]".repeat(5000) + "}"));

        assertThat(error.status(), equalTo(400));
    }

    @Test
    void errorMessagesDoNotEchoTheBody() {
        ApiError error = assertThrows(ApiError.class, () -> parse("{\"aud\": secret-looking-input}"));

        assertThat(error.getMessage(), equalTo("malformed JSON at line 1, column 9"));
    }
}
