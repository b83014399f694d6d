package dev.machineoidc.keycloak.issuer;

import org.keycloak.provider.ProviderFactory;

public interface MachineOidcConfigProviderFactory extends ProviderFactory<MachineOidcConfigProvider> {
}
