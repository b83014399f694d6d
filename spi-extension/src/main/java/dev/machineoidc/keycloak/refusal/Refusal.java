package dev.machineoidc.keycloak.refusal;

import java.time.Duration;
import java.time.Instant;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.OptionalLong;

/**
 * Why a request is refused, in the contract's terms: the kind of refusal, the error code and message the caller reads,
 * and whatever else the answer tells it ({@code allowed_after}, {@code allowed_at}, {@code retry_after}). Domain code
 * throws it without knowing how it is answered; {@code api.ApiError} makes it an HTTP answer, in one place for the
 * admin API and the org endpoints. Thrown rather than returned so that Keycloak rolls the request's transaction back:
 * no refusal leaves half-done state.
 */
public final class Refusal extends RuntimeException {

    /** The kinds of refusal the contract tells apart, each answered with one HTTP status. */
    public enum Kind {
        INVALID(400),
        UNAUTHENTICATED(401),
        FORBIDDEN(403),
        NOT_FOUND(404),
        CONFLICT(409),
        RATE_LIMITED(429),
        UNAVAILABLE(503);

        private final int status;

        Kind(int status) {
            this.status = status;
        }

        /** Also in a batch item's {@code status}, where one refused token of a batch answers. */
        public int status() {
            return status;
        }
    }

    private final Kind kind;
    private final String code;
    private final Map<String, Object> json;
    private final OptionalLong retryAfterSeconds;

    private Refusal(Kind kind, String code, String message, Map<String, Object> json, OptionalLong retryAfterSeconds) {
        super(message);
        this.kind = kind;
        this.code = code;
        this.json = Collections.unmodifiableMap(json);
        this.retryAfterSeconds = retryAfterSeconds;
    }

    private Refusal(Kind kind, String code, String message) {
        this(kind, code, message, body(code, message), OptionalLong.empty());
    }

    public Kind kind() {
        return kind;
    }

    public String code() {
        return code;
    }

    /** The answer's JSON body: the code and message, then whatever else this kind of refusal tells the caller. */
    public Map<String, Object> json() {
        return json;
    }

    /** Whole seconds after which trying again makes sense, for a {@code Retry-After} header. */
    public OptionalLong retryAfterSeconds() {
        return retryAfterSeconds;
    }

    private static Map<String, Object> body(String code, String message) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("error", code);
        body.put("message", message);
        return body;
    }

    /** Input that breaks the contract's rules: a 400. */
    public static Refusal invalid(String code, String message) {
        return new Refusal(Kind.INVALID, code, message);
    }

    public static Refusal unauthenticated(String code, String message) {
        return new Refusal(Kind.UNAUTHENTICATED, code, message);
    }

    public static Refusal forbidden(String code, String message) {
        return new Refusal(Kind.FORBIDDEN, code, message);
    }

    public static Refusal notFound(String message) {
        return new Refusal(Kind.NOT_FOUND, "not_found", message);
    }

    public static Refusal conflict(String message) {
        return new Refusal(Kind.CONFLICT, "conflict", message);
    }

    /** A step that has to wait for another step first: {@code allowed_after} names that step. */
    public static Refusal conflictUntilStep(String code, String message, String step) {
        Map<String, Object> json = body(code, message);
        json.put("allowed_after", step);
        return new Refusal(Kind.CONFLICT, code, message, json, OptionalLong.empty());
    }

    /**
     * A step that has to wait for a time: {@code allowed_at} (ISO 8601) and the whole seconds to wait, as
     * {@code retry_after} and in {@code Retry-After}.
     */
    public static Refusal conflictUntil(String code, String message, Instant allowedAt, Instant now) {
        long retryAfter = Math.max(1, Duration.between(now, allowedAt).plusMillis(999).toSeconds());
        Map<String, Object> json = body(code, message);
        json.put("allowed_at", allowedAt.toString());
        json.put("retry_after", retryAfter);
        return new Refusal(Kind.CONFLICT, code, message, json, OptionalLong.of(retryAfter));
    }

    /**
     * {@code rate_limited}, with the whole seconds to wait both in {@code Retry-After} and as {@code retry_after} in
     * the body (where a batch item, which has no headers of its own, carries it).
     */
    public static Refusal rateLimited(String message, long retryAfterSeconds) {
        Map<String, Object> json = body("rate_limited", message);
        json.put("retry_after", retryAfterSeconds);
        return new Refusal(Kind.RATE_LIMITED, "rate_limited", message, json, OptionalLong.of(retryAfterSeconds));
    }

    public static Refusal unavailable(String code, String message) {
        return new Refusal(Kind.UNAVAILABLE, code, message);
    }

    /** Unavailable for now: {@code Retry-After} says when trying again makes sense (whole seconds, at least 1). */
    public static Refusal unavailable(String code, String message, Duration retryAfter) {
        return new Refusal(Kind.UNAVAILABLE, code, message, body(code, message),
                OptionalLong.of(Math.max(1, retryAfter.toSeconds())));
    }
}
