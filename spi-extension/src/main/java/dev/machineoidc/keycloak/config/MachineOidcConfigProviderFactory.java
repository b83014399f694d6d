package dev.machineoidc.keycloak.config;

import org.keycloak.provider.ProviderFactory;

public interface MachineOidcConfigProviderFactory extends ProviderFactory<MachineOidcConfigProvider> {
}
