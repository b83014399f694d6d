package dev.machineoidc.bridge.json;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.StreamReadFeature;
import java.io.IOException;
import java.util.HashMap;
import java.util.Map;

/**
 * The top-level fields of one JSON object, as every small object the bridge reads is used: a string, an int, a
 * long, null for JSON null, or {@link #OTHER} for any other value (which is then never what a reader expects).
 * Streamed with the same parser as the socket API; nothing is kept of nested values.
 */
public final class JsonScalars {

    /** Stands for a value that is none of the scalars above: a boolean, a fraction, an object, an array. */
    public static final Object OTHER = new Object();

    private static final JsonFactory STRICT = JsonFactory.builder()
            .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
            .build();

    private JsonScalars() {
    }

    /**
     * A whole document that must be exactly one object without duplicate fields.
     *
     * @throws IOException when it is not; the message may quote the text
     */
    public static Map<String, Object> parse(String text) throws IOException {
        try (JsonParser parser = STRICT.createParser(text)) {
            if (parser.nextToken() != JsonToken.START_OBJECT) {
                throw new IOException("not a JSON object");
            }
            Map<String, Object> fields = read(parser);
            if (parser.nextToken() != null) {
                throw new IOException("content after the JSON object");
            }
            return fields;
        }
    }

    /** Reads the object whose start the parser is on; the parser is then on its end. A repeated field's last value counts. */
    public static Map<String, Object> read(JsonParser parser) throws IOException {
        Map<String, Object> fields = new HashMap<>();
        while (parser.nextToken() == JsonToken.FIELD_NAME) {
            String field = parser.currentName();
            fields.put(field, scalar(parser.nextToken(), parser));
        }
        if (parser.currentToken() != JsonToken.END_OBJECT) {
            throw new IOException("unterminated JSON object");
        }
        return fields;
    }

    /** The field as a string, or null when it is absent or no string. */
    public static String string(Map<String, Object> fields, String name) {
        return fields.get(name) instanceof String s ? s : null;
    }

    private static Object scalar(JsonToken value, JsonParser parser) throws IOException {
        return switch (value) {
            case VALUE_STRING -> parser.getText();
            case VALUE_NUMBER_INT -> switch (parser.getNumberType()) {
                case INT -> parser.getIntValue();
                case LONG -> parser.getLongValue();
                default -> OTHER;
            };
            case VALUE_NULL -> null;
            default -> {
                parser.skipChildren();
                yield OTHER;
            }
        };
    }
}
