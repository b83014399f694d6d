package dev.machineoidc.keycloak.it.support;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.machineoidc.arquillian.JsonResponse;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.is;

/**
 * One token through the batch endpoint, the only mint endpoint: a batch of one, whose answer tests read as that
 * one item's: the call's own answer when it is refused whole, else the item's status with its token or its error.
 */
public final class MintOfOne {

    private MintOfOne() {
    }

    /** @param item a mint request's JSON; blank for the empty request */
    public static String body(String item) {
        return "{\"requests\":[" + (item.isBlank() ? "{}" : item) + "]}";
    }

    public static JsonResponse answer(JsonResponse call) {
        if (call.status() != 200) {
            return call;
        }
        assertThat(call.header("Content-Type").orElse(""), containsString("application/json"));
        assertThat(call.header("Cache-Control").orElse(""), containsString("no-store"));
        JsonNode results = call.json().get("results");
        assertThat(call.body(), results.size(), is(1));
        JsonNode item = results.get(0);
        if (item.has("token")) {
            return new JsonResponse(200, item.get("token").asText(), call.headers());
        }
        ObjectNode error = ((ObjectNode) item).deepCopy();
        error.remove("status");
        return new JsonResponse(item.get("status").asInt(), error.toString(), call.headers());
    }
}
