package dev.machineoidc.bridge.metrics;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.everyItem;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.hasItems;
import static org.hamcrest.Matchers.matchesPattern;
import static org.hamcrest.Matchers.not;
import static org.hamcrest.Matchers.startsWith;

import dev.machineoidc.bridge.metrics.KeycloakLatency.Result;
import dev.machineoidc.bridge.status.BridgeStatus;
import dev.machineoidc.bridge.tokenfile.TokenFileState;
import java.net.URI;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;

class BridgeMetricsTest {

    /** A sample line of the 0.0.4 text format as this exposition writes it: plain decimal values. */
    private static final String SAMPLE = "[a-zA-Z_:][a-zA-Z0-9_:]*"
            + "(\\{[a-zA-Z_][a-zA-Z0-9_]*=\"([^\"\\\\\\n]|\\\\[\\\\\"n])*\"(,[a-zA-Z_][a-zA-Z0-9_]*=\"([^\"\\\\\\n]|\\\\[\\\\\"n])*\")*})?"
            + " [0-9]+(\\.[0-9]+)?";
    private static final Instant NOW = Instant.parse("2026-11-26T10:00:00Z");
    private static final Path FILE = Path.of("/run/odd \"name\"\\oidc_token");

    private final BridgeMetrics metrics = new BridgeMetrics();

    private static BridgeStatus.Snapshot status(Optional<Instant> assertionExpiry, List<TokenFileState.Snapshot> files) {
        return new BridgeStatus.Snapshot("148e21ea7e46e8", "acme", URI.create("http://kc:8080"), assertionExpiry, files);
    }

    private static List<String> lines(String text) {
        assertThat(text, matchesPattern("(?s).*\n"));
        return Arrays.asList(text.split("\n"));
    }

    @Test
    void requestsByStatusAndKeycloakLatencyByResult() {
        metrics.requests().count(200);
        metrics.requests().count(200);
        metrics.requests().count(400);
        metrics.keycloakLatency().record(Result.OK, 3_000_000);
        metrics.keycloakLatency().record(Result.TIMEOUT, 1_800_000_000);

        List<String> lines = lines(metrics.expose(status(Optional.empty(), List.of())));

        assertThat(lines, hasItems(
                "# TYPE machine_oidc_bridge_requests_total counter",
                "machine_oidc_bridge_requests_total{status=\"200\"} 2",
                "machine_oidc_bridge_requests_total{status=\"400\"} 1",
                "# TYPE machine_oidc_bridge_keycloak_seconds histogram",
                "machine_oidc_bridge_keycloak_seconds_bucket{result=\"ok\",le=\"0.0025\"} 0",
                "machine_oidc_bridge_keycloak_seconds_bucket{result=\"ok\",le=\"0.005\"} 1",
                "machine_oidc_bridge_keycloak_seconds_bucket{result=\"ok\",le=\"+Inf\"} 1",
                "machine_oidc_bridge_keycloak_seconds_sum{result=\"ok\"} 0.003",
                "machine_oidc_bridge_keycloak_seconds_count{result=\"ok\"} 1",
                "machine_oidc_bridge_keycloak_seconds_bucket{result=\"timeout\",le=\"1\"} 0",
                "machine_oidc_bridge_keycloak_seconds_bucket{result=\"timeout\",le=\"2.5\"} 1",
                "machine_oidc_bridge_keycloak_seconds_count{result=\"timeout\"} 1"));
        for (String result : List.of("ok", "refused", "server_error", "timeout", "connection_failed")) {
            assertThat("every result is there from the start", lines,
                    hasItem(startsWith("machine_oidc_bridge_keycloak_seconds_count{result=\"" + result + "\"} ")));
        }
    }

    @Test
    void gaugesComeFromTheStatusWithThePathEscaped() {
        TokenFileState.Snapshot file = new TokenFileState.Snapshot(FILE, "sts.amazonaws.com",
                Optional.of(NOW.minusSeconds(60)), NOW.plusSeconds(480), NOW.plusSeconds(480), Optional.empty(), 3, Optional.empty());
        TokenFileState.Snapshot failing = new TokenFileState.Snapshot(Path.of("/x/never"), "vault",
                Optional.empty(), NOW.minusSeconds(100), NOW.plusSeconds(4), Optional.of("keycloak_unavailable: down"), 7, Optional.empty());

        List<String> lines = lines(metrics.expose(status(Optional.of(NOW.plusMillis(299_500)), List.of(file, failing))));

        String path = "path=\"/run/odd \\\"name\\\"\\\\oidc_token\"";
        assertThat(lines, hasItems(
                "machine_oidc_bridge_assertion_expiry_timestamp_seconds 1795687499.5",
                "machine_oidc_bridge_token_file_written_timestamp_seconds{" + path + "} 1795687140",
                "machine_oidc_bridge_token_file_next_refresh_timestamp_seconds{" + path + "} 1795687680",
                "machine_oidc_bridge_token_file_errors_total{" + path + "} 3",
                "machine_oidc_bridge_token_file_last_refresh_failed{" + path + "} 0",
                "machine_oidc_bridge_token_file_next_refresh_timestamp_seconds{path=\"/x/never\"} 1795687100",
                "machine_oidc_bridge_token_file_errors_total{path=\"/x/never\"} 7",
                "machine_oidc_bridge_token_file_last_refresh_failed{path=\"/x/never\"} 1"));
        assertThat("no write, no written sample", lines,
                not(hasItem(startsWith("machine_oidc_bridge_token_file_written_timestamp_seconds{path=\"/x/never\"}"))));
        assertThat("no error text in a metric", String.join("\n", lines), not(containsString("keycloak_unavailable")));
    }

    @Test
    void withoutAnAssertionOrTokenFileTheirFamiliesHaveNoSamples() {
        List<String> lines = lines(metrics.expose(status(Optional.empty(), List.of())));

        assertThat(lines, hasItem("# TYPE machine_oidc_bridge_assertion_expiry_timestamp_seconds gauge"));
        assertThat(lines, not(hasItem(startsWith("machine_oidc_bridge_assertion_expiry_timestamp_seconds "))));
        assertThat(lines, not(hasItem(startsWith("machine_oidc_bridge_token_file_"))));
    }

    @Test
    void everyLineIsWellFormedAndEachFamilyIsDeclaredOnceBeforeItsSamples() {
        metrics.requests().count(503);
        metrics.keycloakLatency().record(Result.CONNECTION_FAILED, 1_000_000_000);
        TokenFileState.Snapshot file = new TokenFileState.Snapshot(FILE, "sts.amazonaws.com",
                Optional.of(NOW), NOW.plusSeconds(540), NOW.plusSeconds(540), Optional.empty(), 0, Optional.empty());

        List<String> lines = lines(metrics.expose(status(Optional.of(NOW), List.of(file))));

        List<String> samples = new ArrayList<>();
        Set<String> declared = new LinkedHashSet<>();
        String current = null;
        for (String line : lines) {
            if (line.startsWith("# HELP ")) {
                current = line.split(" ")[2];
                assertThat("declared once: " + current, declared.add(current), equalTo(true));
            } else if (line.startsWith("# TYPE ")) {
                assertThat(line, matchesPattern("# TYPE " + current + " (counter|gauge|histogram)"));
            } else {
                samples.add(line);
                assertThat("a sample of the family declared last", line, startsWith(current));
            }
        }
        assertThat(samples, everyItem(matchesPattern(SAMPLE)));
        assertThat(declared, equalTo(new LinkedHashSet<>(List.of(
                "machine_oidc_bridge_requests_total",
                "machine_oidc_bridge_keycloak_seconds",
                "machine_oidc_bridge_assertion_expiry_timestamp_seconds",
                "machine_oidc_bridge_token_file_written_timestamp_seconds",
                "machine_oidc_bridge_token_file_next_refresh_timestamp_seconds",
                "machine_oidc_bridge_token_file_errors_total",
                "machine_oidc_bridge_token_file_last_refresh_failed"))));
    }
}
