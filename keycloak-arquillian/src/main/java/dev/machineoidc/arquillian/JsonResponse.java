package dev.machineoidc.arquillian;

import java.io.UncheckedIOException;
import java.net.http.HttpHeaders;
import java.util.Optional;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

/** An HTTP response as tests look at it: status, body, headers, and the body parsed as JSON on demand. */
public record JsonResponse(int status, String body, HttpHeaders headers) {

    /** Configured once and never changed afterwards, which makes it safe to share. */
    private static final ObjectMapper JSON = new ObjectMapper();

    public JsonNode json() {
        try {
            return JSON.readTree(body);
        } catch (JsonProcessingException e) {
            throw new UncheckedIOException("HTTP " + status + " body is not JSON: " + body, e);
        }
    }

    public Optional<String> header(String name) {
        return headers.firstValue(name);
    }

    @Override
    public String toString() {
        return "HTTP " + status + " " + body;
    }
}
