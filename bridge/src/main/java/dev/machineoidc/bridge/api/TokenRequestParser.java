package dev.machineoidc.bridge.api;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.StreamReadFeature;
import dev.machineoidc.bridge.mint.Audience;
import dev.machineoidc.bridge.mint.TokenRequest;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.Optional;

/**
 * Parses the optional JSON body of {@code POST /v1/tokens/oidc}: {@code aud} (string) and
 * {@code aws_principal_tags} (boolean). Unknown fields are ignored and {@code null} counts as absent,
 * as in Fly's API; an empty body means all defaults. Strict JSON otherwise.
 */
final class TokenRequestParser {

    private final JsonFactory json = JsonFactory.builder()
            .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
            .build();

    TokenRequest parse(byte[] body) throws ApiError {
        if (isBlank(body)) {
            return TokenRequest.DEFAULTS;
        }
        try (JsonParser parser = json.createParser(strictUtf8(body))) {
            if (parser.nextToken() != JsonToken.START_OBJECT) {
                throw ApiError.badRequest("the body must be a JSON object");
            }
            Optional<String> audience = Optional.empty();
            boolean awsPrincipalTags = false;
            while (parser.nextToken() == JsonToken.FIELD_NAME) {
                String field = parser.currentName();
                JsonToken value = parser.nextToken();
                switch (field) {
                    case "aud" -> audience = audience(value, parser);
                    case "aws_principal_tags" -> awsPrincipalTags = bool(value);
                    default -> parser.skipChildren();
                }
            }
            if (parser.nextToken() != null) {
                throw ApiError.badRequest("unexpected content after the JSON object");
            }
            return new TokenRequest(audience, awsPrincipalTags);
        } catch (JsonProcessingException e) {
            // Jackson's own message may quote the input; say only where it broke.
            JsonLocation at = e.getLocation();
            throw ApiError.badRequest(at == null ? "malformed JSON"
                    : "malformed JSON at line " + at.getLineNr() + ", column " + at.getColumnNr());
        } catch (IOException e) {
            throw ApiError.badRequest("malformed JSON");
        }
    }

    private static Optional<String> audience(JsonToken value, JsonParser parser) throws ApiError, IOException {
        if (value == JsonToken.VALUE_NULL) {
            return Optional.empty();
        }
        if (value != JsonToken.VALUE_STRING) {
            throw ApiError.badRequest("aud must be a string");
        }
        String audience = parser.getText();
        if (!Audience.isValid(audience)) {
            throw ApiError.invalidAudience();
        }
        return Optional.of(audience);
    }

    private static boolean bool(JsonToken value) throws ApiError {
        return switch (value) {
            case VALUE_TRUE -> true;
            case VALUE_FALSE, VALUE_NULL -> false;
            default -> throw ApiError.badRequest("aws_principal_tags must be a boolean");
        };
    }

    /**
     * Jackson decodes UTF-8 leniently (an overlong {@code C0 AF} becomes {@code /}), so the body is decoded first
     * by the JDK's decoder, which refuses overlong forms, surrogates and truncated sequences.
     */
    private static String strictUtf8(byte[] body) throws ApiError {
        try {
            return StandardCharsets.UTF_8.newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(body))
                    .toString();
        } catch (CharacterCodingException e) {
            throw ApiError.badRequest("the body is not valid UTF-8");
        }
    }

    private static boolean isBlank(byte[] body) {
        for (byte b : body) {
            if (b != ' ' && b != '\t' && b != '\r' && b != '\n') {
                return false;
            }
        }
        return true;
    }
}
