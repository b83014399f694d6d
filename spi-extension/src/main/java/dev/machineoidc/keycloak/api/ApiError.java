package dev.machineoidc.keycloak.api;

import jakarta.ws.rs.WebApplicationException;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * An error answered as {@code {"error":"<code>","message":"<text>"}}. Thrown rather than returned so that
 * Keycloak rolls the request's transaction back: no error leaves half-done state.
 */
public final class ApiError extends WebApplicationException {

    private final String code;
    private final Map<String, Object> json;

    private ApiError(Response.ResponseBuilder answer, String code, String message, Map<String, Object> json) {
        super(message, answer.type(MediaType.APPLICATION_JSON_TYPE).entity(json).build());
        this.code = code;
        this.json = json;
    }

    private ApiError(Response.Status status, String code, String message) {
        this(Response.status(status), code, message, new LinkedHashMap<>(body(code, message)));
    }

    public String code() {
        return code;
    }

    /** The answer's JSON body: the code and message, and whatever else this kind of error tells the caller. */
    public Map<String, Object> json() {
        return json;
    }

    public static Map<String, String> body(String code, String message) {
        Map<String, String> body = new LinkedHashMap<>();
        body.put("error", code);
        body.put("message", message);
        return body;
    }

    public static ApiError badRequest(String code, String message) {
        return new ApiError(Response.Status.BAD_REQUEST, code, message);
    }

    public static ApiError unauthorized(String code, String message) {
        return new ApiError(Response.Status.UNAUTHORIZED, code, message);
    }

    public static ApiError forbidden(String code, String message) {
        return new ApiError(Response.Status.FORBIDDEN, code, message);
    }

    public static ApiError notFound(String message) {
        return new ApiError(Response.Status.NOT_FOUND, "not_found", message);
    }

    public static ApiError conflict(String message) {
        return new ApiError(Response.Status.CONFLICT, "conflict", message);
    }

    /** 409 for a step that has to wait for another step first: {@code allowed_after} names that step. */
    public static ApiError conflictUntilStep(String code, String message, String step) {
        Map<String, Object> json = new LinkedHashMap<>(body(code, message));
        json.put("allowed_after", step);
        return new ApiError(Response.status(Response.Status.CONFLICT), code, message, json);
    }

    /**
     * 409 for a step that has to wait for a time: {@code allowed_at} (ISO 8601) and the whole seconds to wait, as
     * {@code retry_after} and in {@code Retry-After}.
     */
    public static ApiError conflictUntil(String code, String message, Instant allowedAt, Instant now) {
        long retryAfter = Math.max(1, Duration.between(now, allowedAt).plusMillis(999).toSeconds());
        Map<String, Object> json = new LinkedHashMap<>(body(code, message));
        json.put("allowed_at", allowedAt.toString());
        json.put("retry_after", retryAfter);
        return new ApiError(Response.status(Response.Status.CONFLICT)
                .header(HttpHeaders.RETRY_AFTER, Long.toString(retryAfter)), code, message, json);
    }

    /**
     * 429 {@code rate_limited}, with the whole seconds to wait both in the {@code Retry-After} header and as
     * {@code retry_after} in the body (where a batch item, which has no headers of its own, carries it).
     */
    public static ApiError rateLimited(String message, long retryAfterSeconds) {
        Map<String, Object> json = new LinkedHashMap<>(body("rate_limited", message));
        json.put("retry_after", retryAfterSeconds);
        return new ApiError(Response.status(Response.Status.TOO_MANY_REQUESTS)
                .header(HttpHeaders.RETRY_AFTER, Long.toString(retryAfterSeconds)), "rate_limited", message, json);
    }

    public static ApiError unavailable(String code, String message) {
        return new ApiError(Response.Status.SERVICE_UNAVAILABLE, code, message);
    }

    /** A 503 that tells the caller when trying again makes sense ({@code Retry-After}, whole seconds). */
    public static ApiError unavailable(String code, String message, Duration retryAfter) {
        return new ApiError(Response.status(Response.Status.SERVICE_UNAVAILABLE)
                .header(HttpHeaders.RETRY_AFTER, Math.max(1, retryAfter.toSeconds())), code, message,
                new LinkedHashMap<>(body(code, message)));
    }
}
