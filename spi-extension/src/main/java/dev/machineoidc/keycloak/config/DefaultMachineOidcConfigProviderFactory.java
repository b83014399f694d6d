package dev.machineoidc.keycloak.config;

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
                scope.getInt(MachineOidcConfig.ENROLLMENT_LIFETIME, MachineOidcConfig.DEFAULT_ENROLLMENT_LIFETIME),
                scope.getBoolean(MachineOidcConfig.NATIVE_SIGNING, MachineOidcConfig.DEFAULT_NATIVE_SIGNING),
                scope.getBoolean(MachineOidcConfig.METRICS_ORG_TAG, false));
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
                .property().name(MachineOidcConfig.NATIVE_SIGNING).type("boolean")
                .helpText("Sign machine tokens with AWS-LC (Amazon Corretto Crypto Provider, bundled, about 3x the JDK's RS256"
                        + " speed) when its native library loads on this platform; false, or a failed load, signs with the JDK."
                        + " Only the mint uses it: Keycloak's own TLS and tokens keep the JDK.")
                .defaultValue(MachineOidcConfig.DEFAULT_NATIVE_SIGNING)
                .add()
                .property().name(MachineOidcConfig.METRICS_ORG_TAG).type("boolean")
                .helpText("Tag the extension's metrics (machine_oidc_*) with the org's name: one series per org and"
                        + " tag value, so off by default, as Keycloak's own event metrics leave the realm out unless asked.")
                .defaultValue(false)
                .add()
                .build();
    }
}
