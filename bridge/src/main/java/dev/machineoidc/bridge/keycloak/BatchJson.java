package dev.machineoidc.bridge.keycloak;

import com.nimbusds.jose.util.JSONObjectUtils;
import dev.machineoidc.bridge.mint.MintException;
import dev.machineoidc.bridge.mint.TokenRequest;
import java.text.ParseException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * The batch mint endpoint's JSON: {@code {"requests":[...]}} out, each item the single mint's body, and
 * {@code {"results":[...]}} back, one {@code {"token"}} or {@code {"status","error","message"}} per request.
 */
final class BatchJson {

    private static final Pattern JWT = Pattern.compile("[A-Za-z0-9_-]+\\.[A-Za-z0-9_-]+\\.[A-Za-z0-9_-]+");

    private BatchJson() {
    }

    static String requests(List<TokenRequest> requests) {
        List<Map<String, Object>> items = new ArrayList<>(requests.size());
        for (TokenRequest request : requests) {
            Map<String, Object> item = new LinkedHashMap<>();
            request.audience().ifPresent(aud -> item.put("aud", aud));
            if (request.awsPrincipalTags()) {
                item.put("aws_principal_tags", true);
            }
            items.add(item);
        }
        return JSONObjectUtils.toJSONString(Map.of("requests", items));
    }

    /** @throws MintException when the answer as a whole is unusable: not JSON, or not one object per request */
    static List<MintOutcome> results(String body, int requests) throws MintException {
        Map<String, Object>[] results = null;
        try {
            Map<String, Object> json = JSONObjectUtils.parse(body);
            if (json != null) {
                results = JSONObjectUtils.getJSONObjectArray(json, "results");
            }
        } catch (ParseException e) {
            // Unusable as a whole, like a missing or short list.
        }
        if (results == null || results.length != requests || Arrays.asList(results).contains(null)) {
            throw MintFailures.unusableAnswer("Keycloak's answer to a batch does not have one result per request");
        }
        List<MintOutcome> outcomes = new ArrayList<>(requests);
        for (Map<String, Object> result : results) {
            outcomes.add(outcome(result));
        }
        return outcomes;
    }

    private static MintOutcome outcome(Map<String, Object> result) {
        Object token = result.get("token");
        if (token instanceof String jwt && JWT.matcher(jwt).matches()) {
            return MintOutcome.minted(jwt);
        }
        if (token == null && result.get("status") instanceof Number status) {
            return MintOutcome.failed(MintFailures.forStatus(status.intValue(), result));
        }
        return MintOutcome.failed(MintFailures.unusableAnswer("Keycloak's answer is not a JWT"));
    }
}
