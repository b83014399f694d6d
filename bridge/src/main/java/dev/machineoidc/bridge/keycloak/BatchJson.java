package dev.machineoidc.bridge.keycloak;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import dev.machineoidc.bridge.json.JsonScalars;
import dev.machineoidc.bridge.json.JsonWriter;
import dev.machineoidc.bridge.mint.MintException;
import dev.machineoidc.bridge.mint.TokenRequest;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The batch mint endpoint's JSON: {@code {"requests":[...]}} out, each item the single mint's body, and
 * {@code {"results":[...]}} back, one {@code {"token"}} or {@code {"status","error","message"}} per request (a 429
 * also {@code "retry_after"}).
 */
public final class BatchJson {

    private static final JsonFactory JSON = new JsonFactory();

    private BatchJson() {
    }

    public static String requests(List<TokenRequest> requests) {
        return JsonWriter.text(json -> {
            json.writeStartObject();
            json.writeArrayFieldStart("requests");
            for (TokenRequest request : requests) {
                json.writeStartObject();
                if (request.audience().isPresent()) {
                    json.writeStringField("aud", request.audience().get());
                }
                if (request.awsPrincipalTags()) {
                    json.writeBooleanField("aws_principal_tags", true);
                }
                json.writeEndObject();
            }
            json.writeEndArray();
            json.writeEndObject();
        });
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
        Map<String, Object> result = JsonScalars.read(parser);
        Object token = result.get("token");
        if (token instanceof String jwt && isCompactJws(jwt)) {
            return MintOutcome.minted(jwt);
        }
        if (token == null && result.get("status") instanceof Integer code) {
            return MintOutcome.failed(MintFailures.forStatus(code, result));
        }
        return MintOutcome.failed(MintFailures.unusableAnswer("Keycloak's answer is not a JWT"));
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
