package dev.machineoidc.bridge.identity;

import java.net.URI;
import java.util.Objects;

/**
 * What Keycloak answered to an enrollment: the machine's client id and its endpoints.
 *
 * @param clientId e.g. {@code machine-148e21ea7e46e8}
 * @param tokenEndpoint the realm's OAuth token endpoint as Keycloak names it (its prefix is the realm issuer)
 * @param mintEndpoint the realm's mint endpoint as Keycloak names it
 */
public record Registration(String clientId, URI tokenEndpoint, URI mintEndpoint) {

    public Registration {
        Objects.requireNonNull(clientId, "clientId");
        Objects.requireNonNull(tokenEndpoint, "tokenEndpoint");
        Objects.requireNonNull(mintEndpoint, "mintEndpoint");
    }
}
