package dev.machineoidc.bridge;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.containsInAnyOrder;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.is;
import static org.hamcrest.Matchers.lessThan;
import static org.hamcrest.Matchers.not;
import static org.hamcrest.Matchers.startsWith;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.machineoidc.bridge.config.BridgeConfig;
import dev.machineoidc.bridge.config.GcpCredentials;
import dev.machineoidc.bridge.config.TokenFileSpec;
import dev.machineoidc.bridge.identity.EnrollmentException;
import dev.machineoidc.bridge.identity.StateDir;
import dev.machineoidc.bridge.metrics.MetricsAddress;
import dev.machineoidc.bridge.testing.Await;
import dev.machineoidc.bridge.testing.FakeKeycloak;
import dev.machineoidc.bridge.testing.UnixHttpClient;
import java.io.IOException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import org.eclipse.jetty.client.ContentResponse;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** The whole daemon in-process, as an IT would start it, against the fake Keycloak. */
@Timeout(60)
class BridgeTest {

    private static final String ORG = "acme";
    private static final String MACHINE = "148e21ea7e46e8";

    @TempDir
    Path dir;

    private FakeKeycloak keycloak;
    private Bridge bridge;

    @BeforeEach
    void startKeycloak() throws Exception {
        keycloak = FakeKeycloak.start(ORG, MACHINE);
    }

    @AfterEach
    void stopAll() {
        if (bridge != null) {
            bridge.stop();
        }
        keycloak.close();
    }

    private BridgeConfig.Builder config() {
        return BridgeConfig.builder()
                .keycloakUrls(List.of(keycloak.baseUrl()))
                .org(ORG)
                .machineId(MACHINE)
                .stateDir(dir.resolve("state"))
                .socketPath(dir.resolve("fly/api"));
    }

    private Bridge start(BridgeConfig config) throws Exception {
        Bridge started = new Bridge(config);
        started.start();
        return started;
    }

    private static ContentResponse mint(Path socket, String body) throws Exception {
        try (UnixHttpClient client = new UnixHttpClient(socket)) {
            return client.post("/v1/tokens/oidc", body);
        }
    }

    @Test
    void enrollsServesTokensAndCleansUp() throws Exception {
        bridge = start(config().enrollmentToken(FakeKeycloak.ENROLLMENT_TOKEN).build());

        StateDir state = new StateDir(dir.resolve("state"));
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(state.keyFile())), equalTo("rw-------"));
        assertThat(keycloak.enrolledKey().isPrivate(), is(false));

        ContentResponse response = mint(bridge.socketPath(), "{\"aud\":\"sts.amazonaws.com\"}");
        assertThat(response.getStatus(), equalTo(200));
        assertThat(response.getContentAsString().split("\\.").length, equalTo(3));
        assertThat(keycloak.badAssertions(), equalTo(0));

        bridge.stop();
        assertThat(Files.exists(bridge.socketPath(), LinkOption.NOFOLLOW_LINKS), is(false));
    }

    @Test
    void aRestartWithTheSameTokenDoesNotEnrollAgain() throws Exception {
        BridgeConfig config = config().enrollmentToken(FakeKeycloak.ENROLLMENT_TOKEN).build();
        start(config).stop();

        bridge = start(config);

        assertThat(keycloak.enrollCalls(), equalTo(1));
        assertThat(mint(bridge.socketPath(), "").getStatus(), equalTo(200));
    }

    @Test
    void aSecondBridgeOnTheSameSocketIsRefusedAndLeavesTheFirstAlone() throws Exception {
        BridgeConfig config = config().enrollmentToken(FakeKeycloak.ENROLLMENT_TOKEN).build();
        bridge = start(config);

        assertThrows(FileAlreadyExistsException.class, () -> new Bridge(config).start());

        assertThat(mint(bridge.socketPath(), "{}").getStatus(), equalTo(200));
    }

    @Test
    void aGcpConfigurationThatCannotBeWrittenStopsTheStartBeforeTheEnrollmentIsSpent() throws Exception {
        Path notADirectory = dir.resolve("gcp");
        Files.writeString(notADirectory, "a file where the GCP directory should be");
        GcpCredentials gcp = new GcpCredentials("//iam.googleapis.com/projects/1/providers/p", Optional.empty(),
                notADirectory);
        Bridge failing = new Bridge(config().enrollmentToken(FakeKeycloak.ENROLLMENT_TOKEN)
                .tokenFile(TokenFileSpec.of(gcp.tokenFile(), gcp.audience())).gcp(gcp).build());

        IOException e = assertThrows(IOException.class, failing::start);

        assertThat(e.getMessage(), startsWith("cannot write the GCP credential configuration " + gcp.credentialsFile()));
        assertThat(keycloak.enrollCalls(), equalTo(0));
        assertThat(Files.exists(dir.resolve("fly/api"), LinkOption.NOFOLLOW_LINKS), is(false));
    }

    @Test
    void keepsEveryTokenFileWithItsOwnAudienceAndTheGcpConfiguration() throws Exception {
        GcpCredentials gcp = new GcpCredentials("//iam.googleapis.com/projects/1/providers/p", Optional.empty(),
                dir.resolve("gcp"));
        Path vault = dir.resolve("vault/token");
        bridge = start(config().enrollmentToken(FakeKeycloak.ENROLLMENT_TOKEN)
                .tokenFile(TokenFileSpec.of(vault, "vault"))
                .tokenFile(TokenFileSpec.of(gcp.tokenFile(), gcp.audience())).gcp(gcp).build());

        Await.until(Duration.ofSeconds(10), () -> Files.exists(vault) && Files.exists(gcp.tokenFile()), "both token files");

        assertThat(Files.readString(gcp.credentialsFile()), containsString("\"file\":\"" + gcp.tokenFile() + "\""));
        assertThat(keycloak.mintBodies(), containsInAnyOrder("{\"requests\":[{\"aud\":\"vault\"}]}",
                "{\"requests\":[{\"aud\":\"//iam.googleapis.com/projects/1/providers/p\"}]}"));
    }

    @Test
    void notEnrolledAndNoTokenIsAClearStartFailure() {
        Bridge unenrolled = new Bridge(config().build());

        EnrollmentException e = assertThrows(EnrollmentException.class, unenrolled::start);

        assertThat(e.getMessage(), containsString("not enrolled"));
        assertThat(Files.exists(dir.resolve("fly/api"), LinkOption.NOFOLLOW_LINKS), is(false));
    }

    @Test
    void keepsTheTokenFileCurrent() throws Exception {
        Path tokenFile = dir.resolve("fly/oidc_token");
        bridge = start(config().enrollmentToken(FakeKeycloak.ENROLLMENT_TOKEN).tokenFile(TokenFileSpec.of(tokenFile, "sts.amazonaws.com")).build());

        Await.until(Duration.ofSeconds(10), () -> Files.exists(tokenFile), "the token file");

        assertThat(Files.readString(tokenFile).split("\\.").length, equalTo(3));
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(tokenFile)), equalTo("rw-------"));
        assertThat(keycloak.mintBodies().get(0), equalTo("{\"requests\":[{\"aud\":\"sts.amazonaws.com\"}]}"));
    }

    @Test
    void showsItsStatusOnTheSocketAndItsMetricsOnTheirOwn() throws Exception {
        Path tokenFile = dir.resolve("fly/oidc_token");
        Path metricsSocket = dir.resolve("metrics");
        bridge = start(config().enrollmentToken(FakeKeycloak.ENROLLMENT_TOKEN).tokenFile(TokenFileSpec.of(tokenFile, "sts.amazonaws.com"))
                .metricsAddress(new MetricsAddress.Unix(metricsSocket)).build());
        Await.until(Duration.ofSeconds(10), () -> Files.exists(tokenFile), "the token file");
        assertThat(mint(bridge.socketPath(), "{}").getStatus(), equalTo(200));

        String status;
        String metrics;
        try (UnixHttpClient api = new UnixHttpClient(bridge.socketPath());
             UnixHttpClient scraper = new UnixHttpClient(metricsSocket)) {
            status = api.send("GET", "/v1/status", null).getContentAsString();
            metrics = scraper.send("GET", "/metrics", null).getContentAsString();
        }

        assertThat(status, containsString("\"keycloak_url\":\"" + keycloak.baseUrl() + "\""));
        assertThat(status, containsString("\"path\":\"" + tokenFile + "\""));
        assertThat(status, not(containsString("\"session_expires_at\":null")));
        assertThat(status, not(containsString("\"written_at\":null")));
        assertThat(status, not(containsString("eyJ")));
        assertThat(metrics, containsString("machine_oidc_bridge_requests_total{status=\"200\"} 1\n"));
        assertThat(metrics, containsString("machine_oidc_bridge_token_file_last_refresh_failed{path=\"" + tokenFile
                + "\"} 0\n"));
        bridge.stop();
        assertThat(Files.exists(metricsSocket, LinkOption.NOFOLLOW_LINKS), is(false));
    }

    @Test
    void answers503QuicklyWhileKeycloakIsDownAndRecoversByItself() throws Exception {
        bridge = start(config().enrollmentToken(FakeKeycloak.ENROLLMENT_TOKEN).build());
        int port = keycloak.baseUrl().getPort();
        var enrolledKey = keycloak.enrolledKey();
        keycloak.close();

        long started = System.nanoTime();
        ContentResponse down = mint(bridge.socketPath(), "{}");
        assertThat(down.getStatus(), equalTo(503));
        assertThat(down.getHeaders().get("Retry-After"), equalTo("2"));
        assertThat(Duration.ofNanos(System.nanoTime() - started).toMillis(), lessThan(2000L));

        keycloak = FakeKeycloak.start(ORG, MACHINE, port);
        keycloak.trustKey(enrolledKey);
        assertThat(mint(bridge.socketPath(), "{}").getStatus(), equalTo(200));
    }
}
