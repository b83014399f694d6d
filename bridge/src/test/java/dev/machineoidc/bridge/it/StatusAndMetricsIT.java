package dev.machineoidc.bridge.it;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.both;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.greaterThan;
import static org.hamcrest.Matchers.greaterThanOrEqualTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.is;
import static org.hamcrest.Matchers.lessThanOrEqualTo;
import static org.hamcrest.Matchers.not;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.machineoidc.bridge.config.TokenFileSpec;
import dev.machineoidc.bridge.metrics.MetricsAddress;
import dev.machineoidc.bridge.testing.Await;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.eclipse.jetty.client.ContentResponse;
import org.eclipse.jetty.http.HttpHeader;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The operator's view of a running bridge against the real Keycloak: {@code GET /v1/status} on the socket and
 * {@code GET /metrics} scraped over TCP on the loopback port given with {@code --metrics-address}. The bridge has a
 * dead Keycloak URL before the real one, so "the URL in use" is something the bridge had to find out.
 */
@Timeout(120)
class StatusAndMetricsIT extends WithKeycloak {

    private static final String STS = "sts.amazonaws.com";
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final int MINTS = 3;

    @Test
    void statusAndMetricsShowWhatTheBridgeDid() throws Exception {
        Machine machine = new Provisioner(server).newOrgWithMachine("bridge-observe");
        Path workDir = RunningBridge.newWorkDir(machine);
        Path tokenFile = workDir.resolve("fly/oidc_token");
        URI dead = URI.create("http://127.0.0.1:" + freePort());
        int metricsPort = freePort();
        MetricsAddress metricsAddress = MetricsAddress.parse("127.0.0.1:" + metricsPort);

        try (RunningBridge bridge = RunningBridge.start(server.baseUrl(), machine, workDir, workDir.resolve("state"),
                options -> options.keycloakUrls(List.of(dead, server.baseUrl()))
                        .tokenFile(TokenFileSpec.of(tokenFile, "sts.amazonaws.com"))
                        .metricsAddress(metricsAddress))) {
            Await.until(Duration.ofSeconds(30), () -> Files.exists(tokenFile), "the token file");
            for (int i = 0; i < MINTS; i++) {
                ContentResponse minted = bridge.mint("{\"aud\":\"" + STS + "\"}");
                assertThat(minted.getContentAsString(), minted.getStatus(), is(200));
            }
            SocketApiIT.assertError(bridge.mint("{\"aud\":42}"), 400, "invalid_request");

            HttpResponse<String> scrape = HttpClient.newHttpClient().send(
                    HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + metricsPort + "/metrics")).build(),
                    HttpResponse.BodyHandlers.ofString());
            ContentResponse status = bridge.send("GET", "/v1/status", null);

            assertMetrics(scrape, tokenFile);
            assertStatus(status, machine, tokenFile);
        }
    }

    private void assertMetrics(HttpResponse<String> scrape, Path tokenFile) {
        assertThat(scrape.body(), scrape.statusCode(), is(200));
        assertThat(scrape.headers().firstValue("Content-Type").orElseThrow(),
                is("text/plain; version=0.0.4; charset=utf-8"));
        List<String> lines = scrape.body().lines().toList();
        assertThat("the socket's mints, not the token file's", lines,
                hasItem("machine_oidc_bridge_requests_total{status=\"200\"} " + MINTS));
        assertThat(lines, hasItem("machine_oidc_bridge_requests_total{status=\"400\"} 1"));
        assertThat("enrollment, the token file and the mints went to Keycloak",
                value(lines, "machine_oidc_bridge_keycloak_seconds_count{result=\"ok\"}"),
                greaterThanOrEqualTo(MINTS + 2.0));
        assertThat("the dead URL was tried once, then the bridge stuck to the live one",
                value(lines, "machine_oidc_bridge_keycloak_seconds_count{result=\"connection_failed\"}"), is(1.0));
        String path = "{path=\"" + tokenFile + "\"}";
        double now = Instant.now().toEpochMilli() / 1000.0;
        assertThat(value(lines, "machine_oidc_bridge_token_file_written_timestamp_seconds" + path),
                both(greaterThan(now - 60)).and(lessThanOrEqualTo(now)));
        assertThat("a 600 s token is due at 540 s", value(lines,
                "machine_oidc_bridge_token_file_next_refresh_timestamp_seconds" + path), greaterThan(now + 400));
        assertThat(value(lines, "machine_oidc_bridge_token_file_errors_total" + path), is(0.0));
        assertThat(value(lines, "machine_oidc_bridge_token_file_last_refresh_failed" + path), is(0.0));
        assertThat(value(lines, "machine_oidc_bridge_assertion_expiry_timestamp_seconds"),
                both(greaterThan(now)).and(lessThanOrEqualTo(now + 300)));
        assertThat("no JWT in the metrics", scrape.body(), not(containsString("eyJ")));
    }

    private void assertStatus(ContentResponse response, Machine machine, Path tokenFile) throws Exception {
        String body = response.getContentAsString();
        assertThat(body, response.getStatus(), is(200));
        assertThat(response.getHeaders().get(HttpHeader.CONTENT_TYPE), is("application/json"));
        assertThat("no token, key or assertion", body, not(containsString("eyJ")));
        JsonNode status = JSON.readTree(body);
        assertThat(status.path("machine_id").asText(), is(machine.id()));
        assertThat(status.path("org").asText(), is(machine.org()));
        assertThat("the URL that answered, not the first configured", status.path("keycloak_url").asText(),
                is(server.baseUrl().toString()));
        Instant now = Instant.now();
        Instant sessionExpiry = Instant.parse(status.path("session_expires_at").asText());
        assertThat(sessionExpiry, both(greaterThan(now)).and(lessThanOrEqualTo(now.plusSeconds(300))));
        assertThat(status.path("token_files").size(), is(1));
        JsonNode file = status.path("token_files").get(0);
        assertThat(file.path("path").asText(), is(tokenFile.toString()));
        assertThat(file.path("aud").asText(), is(STS));
        assertThat(Instant.parse(file.path("written_at").asText()),
                both(greaterThan(now.minusSeconds(60))).and(lessThanOrEqualTo(now)));
        assertThat(Instant.parse(file.path("next_refresh_at").asText()), greaterThan(now));
        assertThat(file.path("next_attempt_at").asText(), is(file.path("next_refresh_at").asText()));
        assertThat(file.path("last_error").isNull(), is(true));
    }

    /** The value of the one sample named {@code series} (name and labels, as written). */
    private static double value(List<String> lines, String series) {
        Optional<String> line = lines.stream().filter(l -> l.startsWith(series + " ")).findFirst();
        assertThat("a sample " + series, line.isPresent(), is(true));
        return Double.parseDouble(line.orElseThrow().substring(series.length() + 1));
    }

    private static int freePort() throws Exception {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        }
    }
}
