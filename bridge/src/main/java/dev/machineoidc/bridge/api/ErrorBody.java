package dev.machineoidc.bridge.api;

import dev.machineoidc.bridge.json.JsonWriter;

/** Renders {@code {"error":"<code>","message":"<text>"}}, the one error shape of the socket API. */
public final class ErrorBody {

    public static final String CONTENT_TYPE = "application/json";

    public byte[] render(String code, String message) {
        return JsonWriter.bytes(json -> {
            json.writeStartObject();
            json.writeStringField("error", code);
            json.writeStringField("message", message);
            json.writeEndObject();
        });
    }
}
