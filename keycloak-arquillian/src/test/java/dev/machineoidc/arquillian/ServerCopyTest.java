package dev.machineoidc.arquillian;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.is;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ServerCopyTest {

    @TempDir
    Path dir;

    private Path distribution;
    private Path copy;

    @BeforeEach
    void distribution() throws IOException {
        distribution = Files.createDirectories(dir.resolve("dist"));
        Files.writeString(distribution.resolve("version.txt"), "Keycloak - Version 26.7.3\n");
        Files.createDirectories(distribution.resolve("bin"));
        Files.writeString(distribution.resolve("bin/kc.sh"), "#!/bin/sh\n");
        Files.setPosixFilePermissions(distribution.resolve("bin/kc.sh"), PosixFilePermissions.fromString("rwxr-xr-x"));
        copy = dir.resolve("servers/keycloak");
    }

    @Test
    void copiesTheDistributionWithExecutableScripts() throws IOException {
        new ServerCopy(distribution, copy).refresh();

        assertThat(Files.readString(copy.resolve("version.txt")), equalTo("Keycloak - Version 26.7.3\n"));
        assertThat(Files.isExecutable(copy.resolve("bin/kc.sh")), is(true));
        assertThat(Files.exists(dir.resolve("servers/keycloak.partial")), is(false));
    }

    @Test
    void keepsACopyOfTheSameVersionWithItsBuildAndData() throws IOException {
        new ServerCopy(distribution, copy).refresh();
        Files.writeString(copy.resolve(".machine-oidc-build-fingerprint"), "f\n");

        new ServerCopy(distribution, copy).refresh();

        assertThat(Files.exists(copy.resolve(".machine-oidc-build-fingerprint")), is(true));
    }

    @Test
    void replacesACopyOfAnotherVersionAndALeftoverPartialCopy() throws IOException {
        new ServerCopy(distribution, copy).refresh();
        Files.writeString(copy.resolve("stale"), "x");
        Files.createDirectories(dir.resolve("servers/keycloak.partial"));
        Files.writeString(distribution.resolve("version.txt"), "Keycloak - Version 26.7.4\n");

        new ServerCopy(distribution, copy).refresh();

        assertThat(Files.readString(copy.resolve("version.txt")), equalTo("Keycloak - Version 26.7.4\n"));
        assertThat(Files.exists(copy.resolve("stale")), is(false));
    }
}
