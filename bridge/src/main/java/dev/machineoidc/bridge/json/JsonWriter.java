package dev.machineoidc.bridge.json;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;

/** Every JSON document the bridge writes is written by a generator into memory, here. */
public final class JsonWriter {

    private static final JsonFactory JSON = new JsonFactory();

    /** Writes one document with the generator it is given. */
    @FunctionalInterface
    public interface Document {
        void writeTo(JsonGenerator json) throws IOException;
    }

    private JsonWriter() {
    }

    /** The document as UTF-8. */
    public static byte[] bytes(Document document) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(256);
        try (JsonGenerator json = JSON.createGenerator(out)) {
            document.writeTo(json);
        } catch (IOException e) {
            throw new UncheckedIOException("writing to memory failed", e);
        }
        return out.toByteArray();
    }

    public static String text(Document document) {
        return new String(bytes(document), StandardCharsets.UTF_8);
    }
}
