package dev.machineoidc.bench;

import dev.machineoidc.bench.report.CsvReport;
import dev.machineoidc.bench.report.Median;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.function.ToDoubleFunction;

/** What the slow-readers part found: a line per side (medians of the rounds), its target, and slow-readers.csv. */
record SlowReadersReport(SlowReadersRun.Result result) implements PartReport {

    private static final double TARGET_P99_MILLIS = 50;
    private static final List<String> CSV_HEADER = List.of("side", "round", "slow_connections", "tokens", "errors",
            "seconds", "p50_millis", "p99_millis", "p999_millis", "max_millis", "slow_open_at_start", "slow_open_at_end",
            "slow_connects", "slow_refused_connects", "slow_cut_by_bridge", "slow_408_answers", "bridge_rss_mib");

    private List<SlowReadersRun.Round> rounds(String side) {
        return result.rounds().stream().filter(round -> round.side().equals(side)).toList();
    }

    private double median(String side, ToDoubleFunction<SlowReadersRun.Round> metric) {
        return Median.of(rounds(side), metric);
    }

    private static double percentile(SlowReadersRun.Round round, double percentile) {
        return round.window().latencies().percentileMillis(percentile);
    }

    double p99WithSlowConnections() {
        return median(SlowReadersRun.WITH_SLOW, round -> percentile(round, 99));
    }

    @Override
    public String text() {
        StringBuilder text = new StringBuilder();
        Report.line(text, "Slow readers: one bridge (launcher's JVM options) whose Keycloak is a stub answering at once, so "
                + "the bridge's socket layer is what is measured; %.0f mints/s at a steady rate; medians of %d rounds",
                result.requestsPerSecond(), rounds(SlowReadersRun.ALONE).size());
        for (String side : List.of(SlowReadersRun.ALONE, SlowReadersRun.WITH_SLOW)) {
            boolean loaded = side.equals(SlowReadersRun.WITH_SLOW);
            Report.line(text, "  %-40s p50 %.2f ms, p99 %.2f ms, p99.9 %.2f ms, max %.2f ms, %d errors%s",
                    loaded ? "mint with " + result.slowConnections() + " slow connections:" : side + ":",
                    median(side, round -> percentile(round, 50)), median(side, round -> percentile(round, 99)),
                    median(side, round -> percentile(round, 99.9)), median(side, round -> percentile(round, 100)),
                    rounds(side).stream().mapToLong(round -> round.window().errors()).sum(),
                    loaded ? slowClientsLine() : "");
        }
        return text.toString();
    }

    private String slowClientsLine() {
        String side = SlowReadersRun.WITH_SLOW;
        double seconds = median(side, round -> round.slowTallied().toNanos() / 1e9);
        return String.format(Locale.ROOT, "; slow connections open %.0f at the window's start, %.0f at its end; the bridge "
                        + "cut %.0f/s of them (%.0f/s with a 408), refused connects %.0f; bridge RSS %.1f MiB",
                median(side, SlowReadersRun.Round::slowOpenAtStart), median(side, SlowReadersRun.Round::slowOpenAtEnd),
                median(side, round -> round.slowDuring().closedByServer()) / seconds,
                median(side, round -> round.slowDuring().timeoutAnswers()) / seconds,
                median(side, round -> round.slowDuring().refusedConnects()),
                median(side, SlowReadersRun.Round::bridgeRssMiB));
    }

    @Override
    public void targets(StringBuilder text) {
        double p99 = p99WithSlowConnections();
        long errors = rounds(SlowReadersRun.WITH_SLOW).stream().mapToLong(round -> round.window().errors()).sum();
        Report.target(text, p99 <= TARGET_P99_MILLIS && errors == 0,
                "mint p99 with %d slow connections open: %.2f ms, %d errors (≤ %.0f ms)", result.slowConnections(), p99,
                errors, TARGET_P99_MILLIS);
    }

    @Override
    public void write(Path outDir) throws IOException {
        CsvReport.write(outDir.resolve("slow-readers.csv"), CSV_HEADER, result.rounds().stream().map(round -> List.of(
                round.side(), round.round(), round.side().equals(SlowReadersRun.WITH_SLOW) ? result.slowConnections() : 0,
                round.window().tokens(), round.window().errors(), round.window().seconds(), percentile(round, 50),
                percentile(round, 99), percentile(round, 99.9), percentile(round, 100), round.slowOpenAtStart(),
                round.slowOpenAtEnd(), round.slowDuring().connects(), round.slowDuring().refusedConnects(),
                round.slowDuring().closedByServer(), round.slowDuring().timeoutAnswers(), round.bridgeRssMiB())));
    }

    @Override
    public String files() {
        return "slow-readers.csv";
    }

    @Override
    public void printLastLines(PrintStream out) {
        out.printf(Locale.ROOT, "slow_readers_p99_millis=%.2f%n", p99WithSlowConnections());
    }
}
