package dev.machineoidc.arquillian;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.contains;
import static org.hamcrest.Matchers.hasEntry;
import static org.hamcrest.Matchers.hasKey;
import static org.hamcrest.Matchers.not;

import java.nio.file.Path;
import java.util.Map;

import org.junit.jupiter.api.Test;

class KcCommandsTest {

    private static final Path HOME = Path.of("/opt/kc");
    private static final String MARKER = "-Dmachineoidc.arquillian.container=keycloak@/opt/kc";

    private static KeycloakContainerConfiguration config() {
        KeycloakContainerConfiguration config = new KeycloakContainerConfiguration();
        config.setKeycloakHome("/opt/keycloak-dist");
        return config;
    }

    @Test
    void buildUsesDevFileHealthMetricsFeaturesAndExtraOptions() {
        KeycloakContainerConfiguration config = config();
        config.setFeatures(" declarative-ui, token-exchange ");
        config.setBuildOptions("\n  --spi-foo--provider=bar\n  --cache=local\n");

        assertThat(new KcCommands(config, "keycloak", HOME).build(), contains("/opt/kc/bin/kc.sh", "build",
                "--db=dev-file", "--health-enabled=true", "--metrics-enabled=true",
                "--features=declarative-ui,token-exchange", "--spi-foo--provider=bar", "--cache=local", MARKER));
    }

    @Test
    void aDatabaseChosenInTheBuildOptionsReplacesDevFile() {
        KeycloakContainerConfiguration config = config();
        config.setBuildOptions("--db=postgres");

        assertThat(new KcCommands(config, "keycloak", HOME).build(), contains("/opt/kc/bin/kc.sh", "build",
                "--health-enabled=true", "--metrics-enabled=true", "--db=postgres", MARKER));
    }

    @Test
    void buildWithoutFeaturesHasNoFeaturesOption() {
        assertThat(new KcCommands(config(), "keycloak", HOME).build(), contains("/opt/kc/bin/kc.sh", "build",
                "--db=dev-file", "--health-enabled=true", "--metrics-enabled=true", MARKER));
    }

    @Test
    void startIsOptimizedOnTheConfiguredPortsWithSpiThenRuntimeOptions() {
        KeycloakContainerConfiguration config = config();
        config.setHttpPort(8280);
        config.setManagementPort(9280);
        config.setSpiOptions("--spi-machine-oidc--default--issuer-base-url=https://oidc.example.com");
        config.setRuntimeOptions("--cache=local --log-level=INFO");

        assertThat(new KcCommands(config, "issuer", HOME).start(), contains("/opt/kc/bin/kc.sh", "start", "--optimized",
                "--http-enabled=true", "--http-port=8280", "--http-management-port=9280", "--hostname-strict=false",
                "--spi-machine-oidc--default--issuer-base-url=https://oidc.example.com", "--cache=local",
                "--log-level=INFO", "-Dmachineoidc.arquillian.container=issuer@/opt/kc"));
    }

    @Test
    void exportAndImportRunOptimizedOfflineWithTheSpiAndRuntimeOptionsButNoHttpOnes() {
        KeycloakContainerConfiguration config = config();
        config.setHttpPort(8280);
        config.setSpiOptions("--spi-machine-oidc--default--issuer-base-url=https://oidc.example.com");
        config.setRuntimeOptions("--cache=local");
        KcCommands commands = new KcCommands(config, "keycloak", HOME);

        assertThat(commands.exportRealm("example-org", Path.of("/tmp/org.json")), contains("/opt/kc/bin/kc.sh", "export",
                "--optimized", "--realm=example-org", "--file=/tmp/org.json", "--users=same_file",
                "--spi-machine-oidc--default--issuer-base-url=https://oidc.example.com", "--cache=local", MARKER));
        assertThat(commands.importRealm(Path.of("/tmp/org.json")), contains("/opt/kc/bin/kc.sh", "import",
                "--optimized", "--file=/tmp/org.json", "--override=false",
                "--spi-machine-oidc--default--issuer-base-url=https://oidc.example.com", "--cache=local", MARKER));
    }

    @Test
    void environmentDropsHostKeycloakAndJavaSettingsAndSetsAdminAndJvmOptions() {
        KeycloakContainerConfiguration config = config();
        config.setAdminUser("root");
        config.setAdminPassword("secret");
        config.setJvmOptions(" -Xmx768m\n -Dfoo=bar ");

        Map<String, String> environment = new KcCommands(config, "keycloak", HOME).environment(Map.of(
                "PATH", "/usr/bin", "KC_DB", "postgres", "QUARKUS_HTTP_PORT", "1", "JAVA_OPTS", "-Xmx1g",
                "JAVA_OPTS_KC_HEAP", "-Xmx2g"));

        assertThat(environment, hasEntry("PATH", "/usr/bin"));
        assertThat(environment, not(hasKey("KC_DB")));
        assertThat(environment, not(hasKey("QUARKUS_HTTP_PORT")));
        assertThat(environment, not(hasKey("JAVA_OPTS")));
        assertThat(environment, not(hasKey("JAVA_OPTS_KC_HEAP")));
        assertThat(environment, hasEntry("KC_BOOTSTRAP_ADMIN_USERNAME", "root"));
        assertThat(environment, hasEntry("KC_BOOTSTRAP_ADMIN_PASSWORD", "secret"));
        assertThat(environment, hasEntry("JAVA_OPTS_APPEND", "-Xmx768m -Dfoo=bar"));
    }

    @Test
    void noJvmOptionsMeansNoJavaOptsAppend() {
        assertThat(new KcCommands(config(), "keycloak", HOME).environment(Map.of()), not(hasKey("JAVA_OPTS_APPEND")));
    }
}
