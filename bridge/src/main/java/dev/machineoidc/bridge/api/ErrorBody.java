package dev.machineoidc.bridge.api;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;

/** Renders {@code {"error":"<code>","message":"<text>"}}, the one error shape of the socket API. */
public final class ErrorBody {

    public static final String CONTENT_TYPE = "application/json";

    private final JsonFactory json = new JsonFactory();

    public byte[] render(String code, String message) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(128);
        try (JsonGenerator generator = json.createGenerator(out)) {
            generator.writeStartObject();
            generator.writeStringField("error", code);
            generator.writeStringField("message", message);
            generator.writeEndObject();
        } catch (IOException e) {
            throw new UncheckedIOException("writing to memory failed", e);
        }
        return out.toByteArray();
    }
}
