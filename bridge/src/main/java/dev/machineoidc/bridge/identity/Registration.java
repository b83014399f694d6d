package dev.machineoidc.bridge.identity;

import java.util.Objects;

/**
 * What Keycloak answered to an enrollment.
 *
 * @param clientId the machine's client id, e.g. {@code machine:example-machine@example-app}: its mint assertions name it
 */
public record Registration(String clientId) {

    public Registration {
        Objects.requireNonNull(clientId, "clientId");
    }
}
