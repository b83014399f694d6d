package dev.machineoidc.keycloak.config;

import org.keycloak.provider.Provider;

/** Hands the deployment options to request code. */
public interface MachineOidcConfigProvider extends Provider {

    MachineOidcConfig config();

    @Override
    default void close() {
    }
}
