package dev.machineoidc.arquillian;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

import org.jboss.arquillian.container.spi.ConfigurationException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class KeycloakContainerConfigurationTest {

    @TempDir
    Path home;

    private KeycloakContainerConfiguration validConfig() throws IOException {
        Files.createDirectories(home.resolve("bin"));
        Files.writeString(home.resolve("bin/kc.sh"), "#!/bin/sh\n");
        KeycloakContainerConfiguration config = new KeycloakContainerConfiguration();
        config.setKeycloakHome(home.toString());
        return config;
    }

    @Test
    void aDistributionWithKcShIsValid() throws IOException {
        validConfig().validate();
    }

    @Test
    void aHomeWithoutKcShIsRejectedWithAHint() {
        KeycloakContainerConfiguration config = new KeycloakContainerConfiguration();
        config.setKeycloakHome(home.toString());

        ConfigurationException e = assertThrows(ConfigurationException.class, config::validate);
        assertThat(e.getMessage(), containsString("unpack-keycloak"));
    }

    @Test
    void equalPortsAreRejected() throws IOException {
        KeycloakContainerConfiguration config = validConfig();
        config.setManagementPort(config.getHttpPort());

        assertThrows(ConfigurationException.class, config::validate);
    }

    @Test
    void logFileAndServerDirDefaultToTheQualifierUnderTheBuildDirectory() throws IOException {
        KeycloakContainerConfiguration config = validConfig();
        Path build = Path.of(System.getProperty("project.build.directory", "target")).toAbsolutePath();

        assertThat(config.logFile("kc1"), equalTo(build.resolve("keycloak-logs/kc1.log")));
        assertThat(config.serverDir("kc1"), equalTo(build.resolve("keycloak-servers/kc1")));

        config.setLogFile(home.resolve("custom.log").toString());
        config.setServerDir(home.resolve("server").toString());
        assertThat(config.logFile("kc1"), equalTo(home.resolve("custom.log")));
        assertThat(config.serverDir("kc1"), equalTo(home.resolve("server")));
    }
}
