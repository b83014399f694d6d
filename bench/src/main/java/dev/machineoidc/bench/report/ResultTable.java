package dev.machineoidc.bench.report;

import java.util.List;
import java.util.Locale;
import java.util.stream.Stream;

/**
 * The benchmark's result as a fixed-width plain-text table, for the console and for pasting into docs. Every row
 * is compared against the baseline's best rate, not against the baseline at the same concurrency: what a reader
 * asks is how our path at that load compares with the best the baseline can do at all.
 */
public final class ResultTable {

    private static final String ROW_FORMAT = "  %11s  %10s  %8s  %8s  %8s  %15s  %8s  %11s";
    private static final String CEILING_FORMAT = "  %7s  %12s  %s";

    private ResultTable() {
    }

    public static String render(Summary summary, List<Ceiling> ceilings, String ours, String baseline) {
        Summary.Row oursBest = summary.best(ours);
        Summary.Row baselineBest = summary.best(baseline);
        // Wide enough for the longest side or provider name, so the columns stay aligned for any names.
        int nameWidth = Stream.concat(summary.sides().stream(), ceilings.stream().map(Ceiling::provider))
                .mapToInt(String::length)
                .reduce("RS256 ceiling".length(), Math::max);
        String nameFormat = "%-" + nameWidth + "s";

        StringBuilder table = new StringBuilder();
        line(table, nameFormat + ROW_FORMAT, "side", "concurrency", "tokens/s", "p50 ms", "p99 ms", "p99.9 ms",
                "KC CPU ms/token", "errors", "vs baseline");
        for (Summary.Row row : summary.rows()) {
            line(table, nameFormat + ROW_FORMAT, row.side(), row.concurrency(), rate(row.tokensPerSecond()),
                    millis(row.p50Millis()), millis(row.p99Millis()), millis(row.p999Millis()),
                    millis(row.keycloakCpuMillisPerToken()), row.errors(),
                    ratio(row.tokensPerSecond() / baselineBest.tokensPerSecond()));
        }
        if (!ceilings.isEmpty()) {
            table.append('\n');
            String oursVsCeiling = ours + " best / ceiling";
            line(table, nameFormat + CEILING_FORMAT, "RS256 ceiling", "threads", "signatures/s", oursVsCeiling);
            String ratioFormat = "%" + oursVsCeiling.length() + "s";
            for (Ceiling ceiling : ceilings) {
                line(table, nameFormat + CEILING_FORMAT, ceiling.provider(), ceiling.threads(),
                        rate(ceiling.signaturesPerSecond()),
                        String.format(Locale.ROOT, ratioFormat, ratio(summary.ratio(ours, ceiling))));
            }
        }
        table.append('\n');
        line(table, "%s / %s at best concurrency (%d vs %d): %s", ours, baseline, oursBest.concurrency(),
                baselineBest.concurrency(), ratio(summary.ratio(ours, baseline)));
        return table.toString();
    }

    private static void line(StringBuilder table, String format, Object... args) {
        table.append(String.format(Locale.ROOT, format, args).stripTrailing()).append('\n');
    }

    private static String rate(double perSecond) {
        return String.format(Locale.ROOT, "%.0f", perSecond);
    }

    private static String millis(double millis) {
        return String.format(Locale.ROOT, "%.2f", millis);
    }

    private static String ratio(double ratio) {
        return String.format(Locale.ROOT, "%.2f", ratio);
    }
}
