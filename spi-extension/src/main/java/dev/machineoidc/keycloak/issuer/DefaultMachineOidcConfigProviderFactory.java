package dev.machineoidc.keycloak.issuer;

import dev.machineoidc.keycloak.spi.StatelessProviderFactory;
import org.keycloak.Config;
import org.keycloak.models.KeycloakSession;
import org.keycloak.provider.ProviderConfigProperty;
import org.keycloak.provider.ProviderConfigurationBuilder;

import java.util.List;
import java.util.Optional;

/** Reads {@code --spi-machine-oidc--default--issuer-base-url} and friends once, at boot; they never change at runtime. */
public class DefaultMachineOidcConfigProviderFactory implements MachineOidcConfigProviderFactory,
        StatelessProviderFactory<MachineOidcConfigProvider> {

    public static final String PROVIDER_ID = "default";

    private MachineOidcConfig config;

    @Override
    public MachineOidcConfigProvider create(KeycloakSession session) {
        MachineOidcConfig current = config;
        return () -> current;
    }

    @Override
    public void init(Config.Scope scope) {
        config = new MachineOidcConfig(
                Optional.ofNullable(scope.get(MachineOidcConfig.ISSUER_BASE_URL)).filter(s -> !s.isBlank()),
                scope.getInt(MachineOidcConfig.ENROLLMENT_LIFETIME, MachineOidcConfig.DEFAULT_ENROLLMENT_LIFETIME));
    }

    @Override
    public String getId() {
        return PROVIDER_ID;
    }

    @Override
    public List<ProviderConfigProperty> getConfigMetadata() {
        return ProviderConfigurationBuilder.create()
                .property().name(MachineOidcConfig.ISSUER_BASE_URL).type("string")
                .helpText("Public base URL of the issuer, e.g. https://oidc.example.com: tokens then carry iss=<base>/<org>"
                        + " and a reverse proxy maps <base>/<org>/... onto Keycloak. Unset: iss is Keycloak's realm issuer.")
                .add()
                .property().name(MachineOidcConfig.ENROLLMENT_LIFETIME).type("int")
                .helpText("Seconds a one-time machine enrollment token stays valid.")
                .defaultValue(MachineOidcConfig.DEFAULT_ENROLLMENT_LIFETIME)
                .add()
                .build();
    }
}
