package dev.machineoidc.bench.report;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.contains;
import static org.hamcrest.Matchers.matchesPattern;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class FleetTableTest {

    // Ten-second windows at concurrency 16, so tokens / 10 is the rate.
    private static Measurement measurement(String side, int round, long tokens, double p50, double p99, double cpu) {
        return new Measurement(side, 16, round, tokens, 0, 10, p50, p99, p99 * 2, cpu);
    }

    @Test
    void eachSideAgainstTheBaselineOfItsWayOfConnecting() {
        Summary summary = Summary.of(List.of(
                measurement("fleet machine-oidc", 1, 20_000, 7.5, 20, 0.4),
                measurement("fleet client_credentials", 1, 10_000, 15, 40, 1.0),
                measurement("fleet-tls machine-oidc", 1, 12_000, 12, 30, 0.9),
                measurement("fleet-tls client_credentials", 1, 8_000, 19, 50, 1.5)));

        String table = FleetTable.render(summary, List.of(
                new FleetTable.Pair("fleet machine-oidc", "fleet client_credentials"),
                new FleetTable.Pair("fleet-tls machine-oidc", "fleet-tls client_credentials")),
                Map.of("fleet-tls machine-oidc", 0.999, "fleet-tls client_credentials", 1.0));

        assertThat(table.lines().map(line -> line.replaceAll("\\s+", " ")).toList(), contains(
                matchesPattern("side tokens/s p50 ms p99 ms KC CPU ms/token KC CPU vs base tokens/s vs base errors TLS resumed"),
                matchesPattern("fleet machine-oidc 2000 7\\.50 20\\.00 0\\.40 0\\.40 2\\.00 0 -"),
                matchesPattern("fleet client_credentials 1000 15\\.00 40\\.00 1\\.00 1\\.00 1\\.00 0 -"),
                matchesPattern("fleet-tls machine-oidc 1200 12\\.00 30\\.00 0\\.90 0\\.60 1\\.50 0 99\\.9 %"),
                matchesPattern("fleet-tls client_credentials 800 19\\.00 50\\.00 1\\.50 1\\.00 1\\.00 0 100\\.0 %")));
    }
}
