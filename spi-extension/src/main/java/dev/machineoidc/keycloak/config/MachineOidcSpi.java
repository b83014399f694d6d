package dev.machineoidc.keycloak.config;

import org.keycloak.provider.Provider;
import org.keycloak.provider.ProviderFactory;
import org.keycloak.provider.Spi;

/** The SPI {@code machine-oidc}: it exists to carry the deployment options ({@code --spi-machine-oidc--default--…}). */
public class MachineOidcSpi implements Spi {

    public static final String NAME = "machine-oidc";

    @Override
    public boolean isInternal() {
        return false;
    }

    @Override
    public String getName() {
        return NAME;
    }

    @Override
    public Class<? extends Provider> getProviderClass() {
        return MachineOidcConfigProvider.class;
    }

    @Override
    @SuppressWarnings("rawtypes")
    public Class<? extends ProviderFactory> getProviderFactoryClass() {
        return MachineOidcConfigProviderFactory.class;
    }
}
