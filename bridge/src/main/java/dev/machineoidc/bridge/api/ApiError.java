package dev.machineoidc.bridge.api;

import dev.machineoidc.bridge.mint.MintException;
import dev.machineoidc.bridge.mint.StoppableMinter;
import java.time.Duration;

/**
 * An error answer of the socket API: status plus the {@code {"error","message"}} body. The message is
 * written for people and never holds a token, key or credential.
 */
public final class ApiError extends Exception {

    private final int status;
    private final String code;
    private final long retryAfterSeconds;

    public ApiError(int status, String code, String message) {
        this(status, code, message, 0);
    }

    private ApiError(int status, String code, String message, long retryAfterSeconds) {
        super(message, null, false, false);
        this.status = status;
        this.code = code;
        this.retryAfterSeconds = retryAfterSeconds;
    }

    public int status() {
        return status;
    }

    public String code() {
        return code;
    }

    /** For a 429: the whole seconds the caller should wait (the {@code Retry-After} header); 0 otherwise. */
    public long retryAfterSeconds() {
        return retryAfterSeconds;
    }

    static ApiError badRequest(String message) {
        return new ApiError(400, "invalid_request", message);
    }

    static ApiError invalidAudience() {
        return new ApiError(400, "invalid_audience", "aud must be a string of 1-256 printable ASCII characters");
    }

    static ApiError peerNotAllowed() {
        return new ApiError(403, "peer_not_allowed", "this process's user and group may not call the bridge");
    }

    static ApiError notFound() {
        return new ApiError(404, "not_found",
                "no such endpoint; use POST " + TokenServlet.PATH + " or GET " + StatusServlet.PATH);
    }

    static ApiError methodNotAllowed(String allowed) {
        return new ApiError(405, "method_not_allowed", "use " + allowed);
    }

    static ApiError tooLarge() {
        return new ApiError(413, "request_too_large", "the body must not exceed " + RequestBody.LIMIT + " bytes");
    }

    /** The request did not arrive whole within the socket's read deadline. */
    public static ApiError requestTimeout(Duration deadline) {
        return new ApiError(408, "request_timeout", "the request was not received whole within "
                + deadline.toMillis() + " ms");
    }

    /** The bridge is stopping and takes no more requests. */
    public static ApiError shuttingDown() {
        return from(StoppableMinter.shuttingDown());
    }

    static ApiError internal() {
        return new ApiError(500, "internal_error", "the bridge failed unexpectedly; see its log");
    }

    static ApiError from(MintException e) {
        int status = switch (e.kind()) {
            case INVALID_REQUEST -> 400;
            case DENIED -> 403;
            case UNAVAILABLE -> 503;
            case RATE_LIMITED -> 429;
            case UPSTREAM_ERROR -> 502;
        };
        return new ApiError(status, e.code(), e.getMessage(), e.retryAfterSeconds());
    }
}
