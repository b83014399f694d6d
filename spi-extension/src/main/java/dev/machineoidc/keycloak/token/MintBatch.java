package dev.machineoidc.keycloak.token;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.machineoidc.keycloak.api.JsonBody;
import dev.machineoidc.keycloak.refusal.Refusal;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/**
 * A batch mint, {@code {"requests":[{...},...]}}: the mint requests the bridge coalesced into one Keycloak call.
 * The body is parsed once, each item straight into its typed {@link MintRequest}; an item is answered in its own slot,
 * a token or that item's error, so a refused item fails only itself.
 */
public final class MintBatch {

    /** The most requests one call may carry: bounds the signing work one HTTP request holds. */
    public static final int MAX_REQUESTS = 64;

    // Trailing content makes the body malformed: '{"requests":[{}]}}' must not pass as a valid batch.
    private static final ObjectMapper MAPPER = new ObjectMapper().enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS);

    private final List<Item> requests;

    private MintBatch(List<Item> requests) {
        this.requests = requests;
    }

    /**
     * One request of a batch: its typed request, or the refusal its fields earned. The refusal is only thrown when the
     * item's turn comes, so that it is answered, audited and counted in the item's slot, after the rate limit's say.
     */
    public record Item(MintRequest parsed, Refusal refusal) {

        static Item of(ObjectNode fields) {
            try {
                return new Item(MintRequest.of(JsonBody.of(fields)), null);
            } catch (Refusal e) {
                return new Item(null, e);
            }
        }

        /** @throws Refusal 400 the item's own refusal: a field of the wrong type or an invalid audience */
        public MintRequest request() {
            if (refusal != null) {
                throw refusal;
            }
            return parsed;
        }
    }

    /** @throws Refusal 400 {@code invalid_request} unless the body is an object whose 'requests' holds 1-64 objects */
    public static MintBatch parse(String raw) {
        JsonNode body;
        try {
            body = MAPPER.readTree(raw == null ? "" : raw);
        } catch (JsonProcessingException e) {
            throw invalid("The body is not valid JSON.");
        }
        if (body == null || !body.isObject()) {
            throw invalid("The body must be a JSON object with a 'requests' array.");
        }
        JsonNode items = body.get("requests");
        if (items == null || !items.isArray()) {
            throw invalid("'requests' must be an array of mint requests.");
        }
        if (items.isEmpty() || items.size() > MAX_REQUESTS) {
            throw invalid("'requests' has " + items.size() + " items; it must have 1-" + MAX_REQUESTS + ".");
        }
        List<Item> requests = new ArrayList<>(items.size());
        for (int i = 0; i < items.size(); i++) {
            if (!(items.get(i) instanceof ObjectNode fields)) {
                throw invalid("'requests[" + i + "]' must be a JSON object.");
            }
            requests.add(Item.of(fields));
        }
        return new MintBatch(requests);
    }

    /** How many tokens the batch asks for. */
    public int size() {
        return requests.size();
    }

    /**
     * @param mintOne mints one item, throwing its {@link Refusal}
     * @return the answer body {@code {"results":[...]}}: per request, in order, {@code {"token":"<jwt>"}} or
     *         {@code {"status":<http status>,"error":"<code>","message":"<text>"}}
     */
    public Map<String, List<Map<String, Object>>> mint(Function<Item, MachineTokenMinter.Minted> mintOne) {
        List<Map<String, Object>> results = new ArrayList<>(requests.size());
        for (Item request : requests) {
            results.add(result(mintOne, request));
        }
        return Map.of("results", results);
    }

    /**
     * {@link #mint} as the answer's JSON text: serialised here rather than by the JAX-RS runtime's generic Jackson
     * writer, which a profile showed costing more per call than the serialisation itself.
     */
    public String mintToJson(Function<Item, MachineTokenMinter.Minted> mintOne) {
        try {
            return MAPPER.writeValueAsString(mint(mintOne));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("a batch answer could not be serialised", e);
        }
    }

    private static Map<String, Object> result(Function<Item, MachineTokenMinter.Minted> mintOne, Item request) {
        try {
            return Map.of("token", mintOne.apply(request).jwt());
        } catch (Refusal e) {
            Map<String, Object> error = new LinkedHashMap<>();
            error.put("status", e.kind().status());
            error.putAll(e.json());
            return error;
        }
    }

    private static Refusal invalid(String message) {
        return Refusal.invalid("invalid_request", message);
    }
}
