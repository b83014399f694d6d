package dev.machineoidc.bridge.keycloak;

import com.nimbusds.jose.util.JSONObjectUtils;
import dev.machineoidc.bridge.mint.MintException;
import dev.machineoidc.bridge.mint.TokenRequest;
import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import java.io.IOException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The batch mint endpoint's JSON: {@code {"requests":[...]}} out, each item the single mint's body, and
 * {@code {"results":[...]}} back, one {@code {"token"}} or {@code {"status","error","message"}} per request (a 429
 * also {@code "retry_after"}).
 */
public final class BatchJson {

    private static final JsonFactory JSON = new JsonFactory();
    private static final Object NOT_SCALAR = new Object();

    private BatchJson() {
    }

    public static String requests(List<TokenRequest> requests) {
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
        List<MintOutcome> outcomes;
        try (JsonParser parser = JSON.createParser(body)) {
            outcomes = parser.nextToken() == JsonToken.START_OBJECT ? resultsField(parser, requests) : null;
        } catch (IOException e) {
            outcomes = null; // unusable as a whole, like a missing or short list
        }
        if (outcomes == null || outcomes.size() != requests) {
            throw MintFailures.unusableAnswer("Keycloak's answer to a batch does not have one result per request");
        }
        return outcomes;
    }

    /** Streams the {@code results} array (this runs once per batch on the hot path: no tree, no regex); null if absent or malformed. */
    private static List<MintOutcome> resultsField(JsonParser parser, int requests) throws IOException {
        List<MintOutcome> outcomes = null;
        while (parser.nextToken() == JsonToken.FIELD_NAME) {
            String field = parser.currentName();
            JsonToken value = parser.nextToken();
            if (!"results".equals(field)) {
                parser.skipChildren();
            } else if (value != JsonToken.START_ARRAY) {
                return null;
            } else {
                outcomes = new ArrayList<>(requests);
                while (parser.nextToken() == JsonToken.START_OBJECT) {
                    outcomes.add(outcome(parser));
                }
                if (parser.currentToken() != JsonToken.END_ARRAY) {
                    return null;
                }
            }
        }
        return outcomes;
    }

    private static MintOutcome outcome(JsonParser parser) throws IOException {
        Object token = null;
        Object status = null;
        Map<String, Object> error = new HashMap<>();
        while (parser.nextToken() == JsonToken.FIELD_NAME) {
            String field = parser.currentName();
            JsonToken value = parser.nextToken();
            switch (field) {
                case "token" -> token = scalar(value, parser);
                case "status" -> status = scalar(value, parser);
                case "error", "message", "retry_after" -> error.put(field, scalar(value, parser));
                default -> parser.skipChildren();
            }
        }
        if (token instanceof String jwt && isCompactJws(jwt)) {
            return MintOutcome.minted(jwt);
        }
        if (token == null && status instanceof Integer code) {
            return MintOutcome.failed(MintFailures.forStatus(code, error));
        }
        return MintOutcome.failed(MintFailures.unusableAnswer("Keycloak's answer is not a JWT"));
    }

    /** A string, an int, null for JSON null, or a marker for anything else (which is then not what was expected). */
    private static Object scalar(JsonToken value, JsonParser parser) throws IOException {
        return switch (value) {
            case VALUE_STRING -> parser.getText();
            case VALUE_NUMBER_INT -> parser.getNumberType() == JsonParser.NumberType.INT ? parser.getIntValue() : NOT_SCALAR;
            case VALUE_NULL -> null;
            default -> {
                parser.skipChildren();
                yield NOT_SCALAR;
            }
        };
    }

    /** Three non-empty base64url parts joined by dots: the shape of a signed JWT. */
    private static boolean isCompactJws(String token) {
        int dots = 0;
        int partLength = 0;
        for (int i = 0; i < token.length(); i++) {
            char c = token.charAt(i);
            if (c == '.') {
                if (partLength == 0 || ++dots > 2) {
                    return false;
                }
                partLength = 0;
            } else if ((c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-' || c == '_') {
                partLength++;
            } else {
                return false;
            }
        }
        return dots == 2 && partLength > 0;
    }
}
