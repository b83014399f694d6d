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
        if (status >= 500) {
            return unavailable();
        }
        LOG.warn("Unexpected status {} from Keycloak's mint endpoint", status);
        return unusableAnswer("Keycloak's mint endpoint answered status " + status);
    }

    static MintException unavailable() {
        return new MintException(Kind.UNAVAILABLE, "keycloak_unavailable", "Keycloak is unreachable; try again shortly");
    }

    static MintException unusableAnswer(String message) {
        return new MintException(Kind.UPSTREAM_ERROR, "keycloak_error", message);
    }
}
