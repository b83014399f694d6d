package dev.machineoidc.keycloak.signing;

import dev.machineoidc.keycloak.config.DefaultMachineOidcConfigProviderFactory;
import dev.machineoidc.keycloak.config.MachineOidcConfig;
import org.junit.jupiter.api.Test;
import org.keycloak.Config;
import org.keycloak.provider.ProviderConfigProperty;

import java.util.Map;
import java.util.Set;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.is;

/** {@code --spi-machine-oidc--default--native-signing}: on unless set to false. */
class NativeSigningOptionTest {

    @Test
    void onByDefault() {
        assertThat(configFrom(Map.of()).nativeSigning(), is(true));
    }

    @Test
    void falseTurnsItOff() {
        assertThat(configFrom(Map.of(MachineOidcConfig.NATIVE_SIGNING, "false")).nativeSigning(), is(false));
    }

    @Test
    void trueKeepsItOn() {
        assertThat(configFrom(Map.of(MachineOidcConfig.NATIVE_SIGNING, "true")).nativeSigning(), is(true));
    }

    @Test
    void isDescribedAsABooleanDefaultingToTrue() {
        ProviderConfigProperty option = new DefaultMachineOidcConfigProviderFactory().getConfigMetadata().stream()
                .filter(property -> property.getName().equals(MachineOidcConfig.NATIVE_SIGNING))
                .findFirst().orElseThrow();
        assertThat(option.getType(), is("boolean"));
        assertThat(option.getDefaultValue(), is(true));
    }

    private static MachineOidcConfig configFrom(Map<String, String> options) {
        DefaultMachineOidcConfigProviderFactory factory = new DefaultMachineOidcConfigProviderFactory();
        factory.init(new Config.AbstractScope() {
            @Override
            public String get(String key) {
                return options.get(key);
            }

            @Override
            public Config.Scope scope(String... scope) {
                throw new UnsupportedOperationException();
            }

            @Override
            public Set<String> getPropertyNames() {
                return options.keySet();
            }

            @Override
            public Config.Scope root() {
                throw new UnsupportedOperationException();
            }
        });
        return factory.create(null).config();
    }
}
