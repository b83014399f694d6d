package dev.machineoidc.keycloak.token;

import dev.machineoidc.keycloak.refusal.Refusal;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.NullSource;
import org.junit.jupiter.params.provider.ValueSource;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import java.util.stream.Stream;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.contains;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasSize;
import static org.hamcrest.Matchers.is;
import static org.hamcrest.Matchers.startsWith;
import static org.junit.jupiter.api.Assertions.assertThrows;

class MintBatchTest {

    /** Mints like the real path minus the signature: the item's typed request, then a policy that refuses "denied". */
    private static final Function<MintBatch.Item, MachineTokenMinter.Minted> FAKE_MINT = item -> {
        String audience = item.request().audience().orElse("issuer");
        if (audience.equals("denied")) {
            throw Refusal.forbidden("audience_not_allowed", "The org's audience policy does not allow this audience.");
        }
        return new MachineTokenMinter.Minted("jwt-for-" + audience, audience, "jti-" + audience);
    };

    private static String requests(int count) {
        return "{\"requests\":[" + String.join(",", Collections.nCopies(count, "{}")) + "]}";
    }

    /** The typed requests the batch hands to the mint path, in order. */
    private static List<MintRequest> itemRequests(String raw) {
        List<MintRequest> requests = new ArrayList<>();
        MintBatch.parse(raw).mint(item -> {
            requests.add(item.request());
            return new MachineTokenMinter.Minted("jwt", "aud", "jti");
        });
        return requests;
    }

    @Test
    void eachItemReachesTheMintPathInOrderAsItsTypedRequest() {
        List<MintRequest> requests = itemRequests("{\"requests\":[{\"aud\":\"sts.amazonaws.com\",\"aws_principal_tags\":true},{},"
                + "{\"aud\":\"https://vault.example.com\",\"extra\":[1]}]}");

        assertThat(requests, hasSize(3));
        assertThat(requests.get(0), equalTo(new MintRequest(Optional.of("sts.amazonaws.com"), true)));
        assertThat(requests.get(1), equalTo(new MintRequest(Optional.empty(), false)));
        assertThat(requests.get(2), equalTo(new MintRequest(Optional.of("https://vault.example.com"), false)));
    }

    @ParameterizedTest
    @ValueSource(ints = {1, 2, MintBatch.MAX_REQUESTS})
    void oneToMaxItemsAreEachMintedOnce(int count) {
        assertThat(itemRequests(requests(count)), hasSize(count));
        assertThat(MintBatch.parse(requests(count)).mint(FAKE_MINT).get("results"), hasSize(count));
    }

    @Test
    void unknownTopLevelFieldsAreIgnoredLikeInAnItem() {
        assertThat(itemRequests("{\"requests\":[{}],\"aud\":\"x\",\"extra\":{}}"), hasSize(1));
    }

    static Stream<Arguments> invalidBatches() {
        return Stream.of(
                Arguments.of("{", "not valid JSON"),
                Arguments.of("{\"requests\":[{}]}}", "not valid JSON"),
                Arguments.of("{\"requests\":[{}]} {}", "not valid JSON"),
                Arguments.of("", "JSON object"),
                Arguments.of("  ", "JSON object"),
                Arguments.of("null", "JSON object"),
                Arguments.of("[{}]", "JSON object"),
                Arguments.of("\"requests\"", "JSON object"),
                Arguments.of("{}", "'requests' must be an array"),
                Arguments.of("{\"requests\":null}", "'requests' must be an array"),
                Arguments.of("{\"requests\":{}}", "'requests' must be an array"),
                Arguments.of("{\"requests\":\"{}\"}", "'requests' must be an array"),
                Arguments.of("{\"request\":[{}]}", "'requests' must be an array"),
                Arguments.of("{\"requests\":[]}", "'requests' has 0 items; it must have 1-64."),
                Arguments.of(requests(MintBatch.MAX_REQUESTS + 1), "'requests' has 65 items; it must have 1-64."),
                Arguments.of("{\"requests\":[1]}", "'requests[0]' must be a JSON object."),
                Arguments.of("{\"requests\":[{},[]]}", "'requests[1]' must be a JSON object."),
                Arguments.of("{\"requests\":[{},{},null]}", "'requests[2]' must be a JSON object."),
                Arguments.of("{\"requests\":[{},\"{}\"]}", "'requests[1]' must be a JSON object."));
    }

    @ParameterizedTest
    @MethodSource("invalidBatches")
    void aBadBatchIsA400InvalidRequestSayingWhy(String raw, String says) {
        Refusal error = assertThrows(Refusal.class, () -> MintBatch.parse(raw));
        assertThat(error.kind().status(), is(400));
        assertThat(error.code(), is("invalid_request"));
        assertThat(error.getMessage(), containsString(says));
    }

    @ParameterizedTest
    @NullSource
    void aMissingBodyIsA400(String raw) {
        assertThat(assertThrows(Refusal.class, () -> MintBatch.parse(raw)).code(), is("invalid_request"));
    }

    @Test
    void theAnswerIsTheResultsAsJsonText() {
        String answer = MintBatch.parse("{\"requests\":[{\"aud\":\"a\"},{\"aud\":\"denied\"}]}").mintToJson(FAKE_MINT);

        assertThat(answer, startsWith("{\"results\":[{\"token\":\"jwt-for-a\"},{\"status\":403,\"error\":\"audience_not_allowed\""));
    }

    @Test
    void resultsAreOnePerRequestInOrderATokenOrThatItemsError() {
        Map<String, List<Map<String, Object>>> answer = MintBatch.parse("{\"requests\":[{\"aud\":\"a\"},{\"aud\":\"denied\"},"
                + "{\"aud\":42},{},{\"aud\":\"\"},{\"aws_principal_tags\":\"yes\"},{\"aud\":\"b\"}]}").mint(FAKE_MINT);

        assertThat(answer.keySet(), contains("results"));
        List<Map<String, Object>> results = answer.get("results");
        assertThat(results, hasSize(7));
        assertThat(results.get(0), equalTo(Map.of("token", "jwt-for-a")));
        assertThat(results.get(1), equalTo(Map.of("status", 403, "error", "audience_not_allowed",
                "message", "The org's audience policy does not allow this audience.")));
        assertThat(results.get(2), equalTo(itemError("invalid_request", "'aud' must be a string.")));
        assertThat(results.get(3), equalTo(Map.of("token", "jwt-for-issuer")));
        assertThat(results.get(4), equalTo(itemError("invalid_audience", "'aud' must be 1-256 printable ASCII characters.")));
        assertThat(results.get(5), equalTo(itemError("invalid_request", "'aws_principal_tags' must be a boolean.")));
        assertThat(results.get(6), equalTo(Map.of("token", "jwt-for-b")));
    }

    @Test
    void anItemsRefusalIsThrownOnlyWhenItsTurnComes() {
        MintBatch batch = MintBatch.parse("{\"requests\":[{\"aud\":42}]}");

        assertThat("parsing keeps the refusal for the item's turn: a mint that never reads the request (one over the rate limit) never meets it",
                batch.mint(item -> new MachineTokenMinter.Minted("jwt", "aud", "jti")).get("results").get(0),
                equalTo(Map.of("token", "jwt")));
        assertThat(batch.mint(FAKE_MINT).get("results").get(0), equalTo(itemError("invalid_request", "'aud' must be a string.")));
    }

    @Test
    void anItemErrorListsStatusThenErrorThenMessage() {
        Map<String, Object> result = MintBatch.parse("{\"requests\":[{\"aud\":\"denied\"}]}").mint(FAKE_MINT).get("results").get(0);
        assertThat(result.keySet(), contains("status", "error", "message"));
    }

    @Test
    void anItemRefusedByTheRateLimitCarriesTheSecondsToWait() {
        Map<String, Object> result = MintBatch.parse(requests(1)).mint(item -> {
            throw Refusal.rateLimited("over the limit", 2);
        }).get("results").get(0);

        assertThat(result, equalTo(Map.of("status", 429, "error", "rate_limited", "message", "over the limit", "retry_after", 2L)));
        assertThat(result.keySet(), contains("status", "error", "message", "retry_after"));
    }

    @Test
    void anUnexpectedFailureFailsTheWholeBatch() {
        MintBatch batch = MintBatch.parse(requests(2));
        assertThrows(IllegalStateException.class, () -> batch.mint(item -> {
            throw new IllegalStateException("no signing key");
        }));
    }

    /** A 400 refusal in the batch's per-item shape. */
    private static Map<String, Object> itemError(String code, String message) {
        return Map.of("status", 400, "error", code, "message", message);
    }
}
