package dev.machineoidc.bridge.mint;

import java.util.Objects;

/**
 * Why no token was minted. The code and message are shown to the calling workload, so they never
 * carry a token, key or credential.
 */
public final class MintException extends Exception {

    /** How the failure should be presented to the caller. */
    public enum Kind {
        /** Keycloak found the request invalid (e.g. the audience). */
        INVALID_REQUEST,
        /** Keycloak refused: audience not allowed by the org's policy, machine revoked or disabled. */
        DENIED,
        /** Keycloak could not be reached or did not answer in time; worth retrying. */
        UNAVAILABLE,
        /** The machine is over its org's mint rate limit; worth retrying after {@link #retryAfterSeconds()}. */
        RATE_LIMITED,
        /** Keycloak answered something the protocol does not allow. */
        UPSTREAM_ERROR
    }

    private final Kind kind;
    private final String code;
    private final long retryAfterSeconds;

    public MintException(Kind kind, String code, String message) {
        this(kind, code, message, 0);
    }

    private MintException(Kind kind, String code, String message, long retryAfterSeconds) {
        super(message, null, false, false);
        this.kind = Objects.requireNonNull(kind, "kind");
        this.code = Objects.requireNonNull(code, "code");
        this.retryAfterSeconds = retryAfterSeconds;
    }

    /** Over the rate limit: {@code rate_limited}, to be tried again in {@code retryAfterSeconds} (at least 1). */
    public static MintException rateLimited(String message, long retryAfterSeconds) {
        return new MintException(Kind.RATE_LIMITED, "rate_limited", message, Math.max(1, retryAfterSeconds));
    }

    public Kind kind() {
        return kind;
    }

    /** A short snake_case error code, e.g. {@code audience_not_allowed}. */
    public String code() {
        return code;
    }

    /** Whole seconds to wait before trying again: at least 1 for {@link Kind#RATE_LIMITED}, 0 for the other kinds. */
    public long retryAfterSeconds() {
        return retryAfterSeconds;
    }
}
