package dev.machineoidc.keycloak.api;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.machineoidc.keycloak.refusal.Refusal;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * A request body read as a JSON object, with typed accessors whose failures are refusals naming the field.
 * Bodies are parsed by hand rather than bound by JAX-RS so every kind of bad input gets our error shape.
 */
public final class JsonBody {

    // Trailing tokens make a body malformed: '{"aud":"a"}}' must not pass as a valid request.
    private static final ObjectMapper MAPPER = new ObjectMapper().enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS);

    private final ObjectNode node;

    private JsonBody(ObjectNode node) {
        this.node = node;
    }

    /** Parses a body; an empty or missing body is an empty object. */
    public static JsonBody parse(String raw) {
        if (raw == null || raw.isBlank()) {
            return new JsonBody(JsonNodeFactory.instance.objectNode());
        }
        JsonNode parsed;
        try {
            parsed = MAPPER.readTree(raw);
        } catch (JsonProcessingException e) {
            throw Refusal.invalid("invalid_json", "The body is not valid JSON.");
        }
        if (!(parsed instanceof ObjectNode object)) {
            throw Refusal.invalid("invalid_json", "The body must be a JSON object.");
        }
        return new JsonBody(object);
    }

    /** A JSON object already parsed as part of a larger body, such as one item of a batch. */
    public static JsonBody of(ObjectNode object) {
        return new JsonBody(object);
    }

    public Optional<String> optionalString(String field) {
        JsonNode value = node.get(field);
        if (value == null || value.isNull()) {
            return Optional.empty();
        }
        if (!value.isTextual()) {
            throw Refusal.invalid("invalid_request", "'" + field + "' must be a string.");
        }
        return Optional.of(value.textValue());
    }

    public String requiredString(String field) {
        return optionalString(field)
                .orElseThrow(() -> Refusal.invalid("invalid_request", "'" + field + "' is required."));
    }

    public Optional<Boolean> optionalBoolean(String field) {
        JsonNode value = node.get(field);
        if (value == null || value.isNull()) {
            return Optional.empty();
        }
        if (!value.isBoolean()) {
            throw Refusal.invalid("invalid_request", "'" + field + "' must be a boolean.");
        }
        return Optional.of(value.booleanValue());
    }

    public Optional<Long> optionalInteger(String field) {
        JsonNode value = node.get(field);
        if (value == null || value.isNull()) {
            return Optional.empty();
        }
        if (!value.isIntegralNumber() || !value.canConvertToLong()) {
            throw Refusal.invalid("invalid_request", "'" + field + "' must be an integer.");
        }
        return Optional.of(value.longValue());
    }

    /** A JSON number, integral or not; anything beyond a double's range is refused as not being a number. */
    public Optional<Double> optionalNumber(String field) {
        JsonNode value = node.get(field);
        if (value == null || value.isNull()) {
            return Optional.empty();
        }
        if (!value.isNumber() || !Double.isFinite(value.doubleValue())) {
            throw Refusal.invalid("invalid_request", "'" + field + "' must be a number.");
        }
        return Optional.of(value.doubleValue());
    }

    public Optional<List<String>> optionalStringList(String field) {
        JsonNode value = node.get(field);
        if (value == null || value.isNull()) {
            return Optional.empty();
        }
        if (!value.isArray()) {
            throw Refusal.invalid("invalid_request", "'" + field + "' must be an array of strings.");
        }
        List<String> items = new ArrayList<>();
        for (JsonNode item : value) {
            if (!item.isTextual()) {
                throw Refusal.invalid("invalid_request", "'" + field + "' must be an array of strings.");
            }
            items.add(item.textValue());
        }
        return Optional.of(items);
    }

    public Optional<JsonNode> optionalObject(String field) {
        JsonNode value = node.get(field);
        if (value == null || value.isNull()) {
            return Optional.empty();
        }
        if (!value.isObject()) {
            throw Refusal.invalid("invalid_request", "'" + field + "' must be a JSON object.");
        }
        return Optional.of(value);
    }
}
