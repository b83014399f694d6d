package dev.machineoidc.bridge.api;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.empty;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.is;

import dev.machineoidc.bridge.socket.SocketServer;
import dev.machineoidc.bridge.status.BridgeStatus;
import dev.machineoidc.bridge.testing.UnixHttpClient;
import dev.machineoidc.bridge.tokenfile.TokenFileState;
import java.net.URI;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import org.eclipse.jetty.client.ContentResponse;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** {@code GET /v1/status} beside the token endpoint on a real unix socket. */
@Timeout(30)
class StatusServletTest {

    @TempDir
    Path dir;

    private final FakeMinter minter = new FakeMinter();
    private final List<Integer> tokenAnswers = new CopyOnWriteArrayList<>();
    private volatile boolean callerPermitted = true;
    private SocketServer server;

    @BeforeEach
    void start() throws Exception {
        TokenFileState file = new TokenFileState(Path.of("/.fly/oidc_token"), "sts.amazonaws.com",
                Instant.parse("2026-11-26T10:00:00Z"));
        BridgeStatus status = new BridgeStatus(ApiSocket.MACHINE, "acme", () -> URI.create("http://kc:8080"),
                () -> Optional.of(Instant.parse("2026-11-26T10:05:00Z")), List.of(file));
        server = ApiSocket.start(dir, minter, request -> new Caller("test:test", callerPermitted), tokenAnswers::add,
                status);
    }

    @AfterEach
    void stop() throws Exception {
        server.stop();
    }

    private ContentResponse send(String method, String path) throws Exception {
        try (UnixHttpClient client = new UnixHttpClient(server.path())) {
            return client.send(method, path, null);
        }
    }

    @Test
    void answersTheStatusAsJson() throws Exception {
        ContentResponse response = send("GET", "/v1/status");

        assertThat(response.getStatus(), equalTo(200));
        assertThat(response.getHeaders().get("Content-Type"), equalTo("application/json"));
        assertThat(response.getHeaders().get("Cache-Control"), equalTo("no-store"));
        assertThat(response.getContentAsString(), equalTo("{\"machine_id\":\"148e21ea7e46e8\",\"org\":\"acme\","
                + "\"keycloak_url\":\"http://kc:8080\",\"session_expires_at\":\"2026-11-26T10:05:00Z\","
                + "\"token_files\":[{\"path\":\"/.fly/oidc_token\",\"aud\":\"sts.amazonaws.com\",\"written_at\":null,"
                + "\"next_refresh_at\":\"2026-11-26T10:00:00Z\",\"next_attempt_at\":\"2026-11-26T10:00:00Z\","
                + "\"last_error\":null,\"removed_at\":null}]}"));
        assertThat("nothing minted, nothing counted as a token answer", minter.requests, is(empty()));
        assertThat(tokenAnswers, is(empty()));
    }

    @ParameterizedTest
    @ValueSource(strings = {"POST", "PUT", "DELETE", "HEAD"})
    void otherMethodsAre405AllowingGet(String method) throws Exception {
        ContentResponse response = send(method, "/v1/status");

        assertThat(response.getStatus(), equalTo(405));
        assertThat(response.getHeaders().get("Allow"), equalTo("GET"));
        if (!"HEAD".equals(method)) {
            assertThat(response.getContentAsString(), containsString("\"error\":\"method_not_allowed\""));
        }
    }

    @Test
    void theSameCallerGateAsForTokens() throws Exception {
        callerPermitted = false;

        ContentResponse response = send("GET", "/v1/status");

        assertThat(response.getStatus(), equalTo(403));
        assertThat(response.getContentAsString(), containsString("\"error\":\"peer_not_allowed\""));
        assertThat(response.getContentAsString(), containsString("may not call the bridge"));
    }

    @ParameterizedTest
    @ValueSource(strings = {"/v1/status/", "/v1/Status", "/v1/status/x"})
    void onlyTheExactPathIsTheStatusView(String path) throws Exception {
        ContentResponse response = send("GET", path);

        assertThat(response.getStatus(), equalTo(404));
        assertThat(response.getContentAsString(), containsString("GET /v1/status"));
    }

    @Test
    void tokensAreStillServedBesideIt() throws Exception {
        assertThat(send("POST", "/v1/tokens/oidc").getStatus(), equalTo(200));
        assertThat(tokenAnswers, equalTo(List.of(200)));
    }
}
