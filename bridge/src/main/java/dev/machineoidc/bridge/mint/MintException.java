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
        /** Keycloak answered something the protocol does not allow. */
        UPSTREAM_ERROR
    }

    private final Kind kind;
    private final String code;

    public MintException(Kind kind, String code, String message) {
        super(message, null, false, false);
        this.kind = Objects.requireNonNull(kind, "kind");
        this.code = Objects.requireNonNull(code, "code");
    }

    public Kind kind() {
        return kind;
    }

    /** A short snake_case error code, e.g. {@code audience_not_allowed}. */
    public String code() {
        return code;
    }
}
