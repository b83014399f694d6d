package dev.machineoidc.arquillian;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.allOf;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.empty;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.is;
import static org.hamcrest.Matchers.not;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.IOException;
import java.net.ServerSocket;
import java.net.http.HttpClient;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;

import org.jboss.arquillian.container.spi.client.container.LifecycleException;
import org.jboss.shrinkwrap.api.ShrinkWrap;
import org.jboss.shrinkwrap.api.asset.StringAsset;
import org.jboss.shrinkwrap.api.spec.JavaArchive;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The launch logic against a stand-in kc.sh: builds are skipped when nothing changed, failures carry the log. */
class ManagedKeycloakTest {

    @TempDir
    Path dir;

    /** A distribution whose kc.sh counts builds in builds.txt and runs {@code start} as given. */
    private KeycloakContainerConfiguration distribution(String start) throws IOException {
        Path home = Files.createDirectories(dir.resolve("dist"));
        Files.writeString(home.resolve("version.txt"), "stand-in\n");
        Path kcSh = Files.createDirectories(home.resolve("bin")).resolve("kc.sh");
        Files.writeString(kcSh, """
                #!/bin/sh
                case "$1" in
                  build) echo build >> "$(dirname "$0")/../builds.txt"; echo "augmenting" ;;
                  start) %s ;;
                esac
                """.formatted(start));
        Files.setPosixFilePermissions(kcSh, PosixFilePermissions.fromString("rwxr-xr-x"));
        KeycloakContainerConfiguration config = new KeycloakContainerConfiguration();
        config.setKeycloakHome(home.toString());
        config.setServerDir(dir.resolve("server").toString());
        config.setLogFile(dir.resolve("logs/kc.log").toString());
        config.setHttpPort(freePort());
        config.setManagementPort(freePort());
        config.setStartupTimeoutSeconds(60);
        return config;
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }

    private static ManagedKeycloak keycloak(KeycloakContainerConfiguration config) throws LifecycleException {
        ManagedKeycloak keycloak = new ManagedKeycloak("kc", config, HttpClient.newHttpClient());
        keycloak.prepare();
        return keycloak;
    }

    /** A kc.sh whose start runs {@code FakeKeycloak.java}, which gets ready at once. */
    private KeycloakContainerConfiguration readyDistribution() throws Exception {
        Path fake = Path.of(ManagedKeycloakTest.class.getResource("/FakeKeycloak.java").toURI());
        Path java = Path.of(System.getProperty("java.home"), "bin", "java");
        return distribution("exec '" + java + "' '" + fake + "' \"$@\"");
    }

    private long runningPid() throws IOException {
        return Long.parseLong(Files.readString(dir.resolve("logs/kc.pid")).trim());
    }

    private List<String> builds() throws IOException {
        Path builds = dir.resolve("server/builds.txt");
        return Files.exists(builds) ? Files.readAllLines(builds) : List.of();
    }

    @Test
    void aServerThatExitsEarlyFailsWithTheEndOfItsLog() throws Exception {
        ManagedKeycloak keycloak = keycloak(distribution("echo 'ERROR: the cause'; exit 7"));

        LifecycleException e = assertThrows(LifecycleException.class, keycloak::ensureRunning);

        assertThat(e.getMessage(), allOf(containsString("exited with code 7"), containsString("ERROR: the cause"),
                containsString("augmenting")));
        assertThat(keycloak.isRunning(), is(false));
    }

    @Test
    void buildsOnlyWhenTheProvidersOrBuildOptionsChange() throws Exception {
        KeycloakContainerConfiguration config = distribution("exit 1");
        ManagedKeycloak keycloak = keycloak(config);

        assertThrows(LifecycleException.class, keycloak::ensureRunning);
        assertThrows(LifecycleException.class, keycloak::ensureRunning);
        assertThat(builds().size(), equalTo(1));

        assertThrows(LifecycleException.class, () -> keycloak.deploy(provider("provider.jar", "x")));
        assertThat(builds().size(), equalTo(2));
        assertThat(Files.exists(dir.resolve("server/providers/provider.jar")), is(true));

        config.setFeatures("declarative-ui");
        assertThrows(LifecycleException.class, () -> keycloak(config).ensureRunning());
        assertThat(builds().size(), equalTo(3));
    }

    @Test
    void aServerThatNeverGetsReadyIsEndedAtTheDeadline() throws Exception {
        KeycloakContainerConfiguration config = distribution("echo waiting; exec sleep 300");
        config.setStartupTimeoutSeconds(2);
        ManagedKeycloak keycloak = keycloak(config);

        LifecycleException e = assertThrows(LifecycleException.class, keycloak::ensureRunning);

        assertThat(e.getMessage(), allOf(containsString("not ready within 2 s"), containsString("waiting")));
        assertThat(ProcessHandle.allProcesses()
                .filter(process -> process.info().arguments().map(List::of).orElse(List.of())
                        .contains(new KcCommands(config, "kc", config.serverDir("kc")).marker()))
                .count(), equalTo(0L));
    }

    @Test
    void aTakenPortFailsFastWithoutLaunching() throws Exception {
        KeycloakContainerConfiguration config = distribution("exit 1");
        try (ServerSocket squatter = new ServerSocket(config.getHttpPort())) {
            ManagedKeycloak keycloak = keycloak(config);

            LifecycleException e = assertThrows(LifecycleException.class, keycloak::ensureRunning);

            assertThat(e.getMessage(), containsString("[" + config.getHttpPort() + "]"));
            assertThat(builds().size(), equalTo(0));
        }
    }

    @Test
    void prepareEndsAServerALostRunLeftBehind() throws Exception {
        KeycloakContainerConfiguration config = distribution("exit 1");
        String marker = new KcCommands(config, "kc", config.serverDir("kc")).marker();
        Process leftover = new ProcessBuilder("sh", "-c", "sleep 300 & wait", marker).start();

        keycloak(config);

        assertThat(leftover.isAlive(), is(false));
    }

    @Test
    void reusesTheServerUntilTheProvidersChangeAndStopsItCompletely() throws Exception {
        KeycloakContainerConfiguration config = readyDistribution();
        ManagedKeycloak keycloak = keycloak(config);
        keycloak.deploy(provider("a.jar", "1"));
        try {
            long first = runningPid();
            assertThat(keycloak.isRunning(), is(true));

            keycloak.undeploy("a.jar");
            keycloak.deploy(provider("a.jar", "1"));
            assertThat("same providers: same server", runningPid(), equalTo(first));
            assertThat(builds().size(), equalTo(1));

            keycloak.deploy(provider("b.jar", "2"));
            assertThat("other providers: relaunched", runningPid(), not(equalTo(first)));
            assertThat(ProcessHandle.of(first).map(ProcessHandle::isAlive).orElse(false), is(false));
            assertThat(builds().size(), equalTo(2));
        } finally {
            keycloak.stop();
        }
        assertThat(keycloak.isRunning(), is(false));
        assertThat(Ports.taken(List.of(config.getHttpPort(), config.getManagementPort())), is(empty()));
        assertThat(Files.exists(dir.resolve("logs/kc.pid")), is(false));
    }

    @Test
    void aKilledServerFreesItsPortsAndLaunchesAgain() throws Exception {
        KeycloakContainerConfiguration config = readyDistribution();
        ManagedKeycloak keycloak = keycloak(config);
        keycloak.deploy(provider("a.jar", "1"));
        long killed = runningPid();
        try {
            keycloak.kill();

            assertThat(keycloak.isRunning(), is(false));
            assertThat(ProcessHandle.of(killed).map(ProcessHandle::isAlive).orElse(false), is(false));
            assertThat(Ports.taken(List.of(config.getHttpPort(), config.getManagementPort())), is(empty()));
            assertThrows(LifecycleException.class, keycloak::kill);

            keycloak.ensureRunning();
            assertThat(keycloak.isRunning(), is(true));
            assertThat(runningPid(), not(equalTo(killed)));
            assertThat("same providers: no new build", builds().size(), equalTo(1));
        } finally {
            keycloak.stop();
        }
    }

    private static JavaArchive provider(String name, String content) {
        return ShrinkWrap.create(JavaArchive.class, name)
                .addAsManifestResource(new StringAsset(content), "services/org.keycloak.Example");
    }
}
