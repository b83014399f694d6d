package dev.machineoidc.bench.report;

import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The fleet's result as a fixed-width table: for each way of connecting, our side and its baseline, each with its
 * median rate, latencies and Keycloak CPU per token, the last two also relative to the baseline of that way.
 */
public final class FleetTable {

    /** Our side and the baseline it is compared with. */
    public record Pair(String ours, String baseline) {
    }

    private static final String ROW_FORMAT = "  %8s  %6s  %7s  %15s  %14s  %16s  %6s  %11s";

    private FleetTable() {
    }

    /** @param resumedShares per side that connects with TLS, the share of its connections that resumed a session */
    public static String render(Summary summary, List<Pair> pairs, Map<String, Double> resumedShares) {
        int nameWidth = pairs.stream().flatMap(pair -> List.of(pair.ours(), pair.baseline()).stream())
                .mapToInt(String::length).reduce("side".length(), Math::max);
        String format = "%-" + nameWidth + "s" + ROW_FORMAT;
        StringBuilder table = new StringBuilder();
        line(table, format, "side", "tokens/s", "p50 ms", "p99 ms", "KC CPU ms/token", "KC CPU vs base",
                "tokens/s vs base", "errors", "TLS resumed");
        for (Pair pair : pairs) {
            Summary.Row baseline = summary.best(pair.baseline());
            for (String side : List.of(pair.ours(), pair.baseline())) {
                Summary.Row row = summary.best(side);
                Double resumed = resumedShares.get(side);
                line(table, format, side, String.format(Locale.ROOT, "%.0f", row.tokensPerSecond()),
                        two(row.p50Millis()), two(row.p99Millis()), two(row.keycloakCpuMillisPerToken()),
                        two(row.keycloakCpuMillisPerToken() / baseline.keycloakCpuMillisPerToken()),
                        two(row.tokensPerSecond() / baseline.tokensPerSecond()), row.errors(),
                        resumed == null ? "-" : String.format(Locale.ROOT, "%.1f %%", 100 * resumed));
            }
        }
        return table.toString();
    }

    private static String two(double value) {
        return String.format(Locale.ROOT, "%.2f", value);
    }

    private static void line(StringBuilder table, String format, Object... args) {
        table.append(String.format(Locale.ROOT, format, args).stripTrailing()).append('\n');
    }
}
