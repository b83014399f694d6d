package dev.machineoidc.bridge.keycloak;

import dev.machineoidc.bridge.mint.MintException;
import dev.machineoidc.bridge.mint.MintException.Kind;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * How Keycloak's failures reach the caller. One rule for a status, whether it refused a whole batch or
 * only one request in it.
 */
final class MintFailures {

    private static final Logger LOG = LoggerFactory.getLogger(MintFailures.class);
    /** The longest an org's limit makes a machine wait (one token per 100 s), with room to spare. */
    static final long MAX_RETRY_AFTER_SECONDS = 3600;

    private MintFailures() {
    }

    /**
     * @param status the HTTP status of the answer, or the {@code status} of one result in a batch
     * @param error the matching {@code {"error","message"}} object, empty when there is none
     */
    static MintException forStatus(int status, Map<String, Object> error) {
        if (status == 400) {
            KeycloakError refusal = KeycloakError.of(error, "invalid_request", "Keycloak refused the request");
            return new MintException(Kind.INVALID_REQUEST, refusal.code(), refusal.message());
        }
        if (status == 403) {
            KeycloakError refusal = KeycloakError.of(error, "forbidden", "Keycloak refused to mint a token");
            return new MintException(Kind.DENIED, refusal.code(), refusal.message());
        }
        if (status == 429) {
            KeycloakError refusal = KeycloakError.of(error, "rate_limited", "This machine is over its org's mint rate limit");
            return MintException.rateLimited(refusal.message(), retryAfterSeconds(error.get("retry_after")));
        }
        if (status >= 500) {
            return unavailable();
        }
        LOG.warn("Unexpected status {} from Keycloak's mint endpoint", status);
        return unusableAnswer("Keycloak's mint endpoint answered status " + status);
    }

    /** Keycloak's {@code retry_after}, within what a caller can sensibly be told to wait; 1 when it is missing. */
    private static long retryAfterSeconds(Object retryAfter) {
        long seconds = retryAfter instanceof Number number ? number.longValue() : 1;
        return Math.min(MAX_RETRY_AFTER_SECONDS, Math.max(1, seconds));
    }

    static MintException unavailable() {
        return new MintException(Kind.UNAVAILABLE, "keycloak_unavailable", "Keycloak is unreachable; try again shortly");
    }

    static MintException unusableAnswer(String message) {
        return new MintException(Kind.UPSTREAM_ERROR, "keycloak_error", message);
    }
}
