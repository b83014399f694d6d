package dev.machineoidc.bench;

import dev.machineoidc.bench.load.Latencies;
import dev.machineoidc.bench.load.RareRequests;
import dev.machineoidc.bench.report.Ceiling;
import dev.machineoidc.bench.report.CsvReport;
import dev.machineoidc.bench.report.Measurement;
import dev.machineoidc.bench.report.Median;
import dev.machineoidc.bench.report.ResultTable;
import dev.machineoidc.bench.report.Summary;
import dev.machineoidc.bench.report.ThroughputChart;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/** Everything a run found: printed as the table and target checks, written as CSV, a chart and results.txt. */
record Report(List<Measurement> measurements, Summary summary, List<Ceiling> ceilings, HalfRateLatency halfRate,
              RareRequests.Result rareMint, BridgeFootprint bridge, Optional<FleetReport> fleet, Optional<ScaleRun.Result> scale,
              Optional<SlowReadersReport> slowReaders) {

    record BridgeFootprint(Duration enrollingStartToFirstToken, Duration startToFirstToken, double idleRssMiB,
                           double loadedRssMiB) {
    }

    private static final double TARGET_RATIO = 2.0;
    private static final double TARGET_HALF_RATE_P99_MILLIS = 10;
    private static final double TARGET_RARE_MINT_P99_MILLIS = 5;
    private static final double TARGET_SCALE_RATIO = 0.9;
    private static final Duration TARGET_ORG_CREATION = Duration.ofSeconds(1);
    private static final double TARGET_BRIDGE_IDLE_MIB = 64;
    private static final Duration TARGET_BRIDGE_START = Duration.ofSeconds(1);

    Report withSlowReaders(SlowReadersReport found) {
        return new Report(measurements, summary, ceilings, halfRate, rareMint, bridge, fleet, scale, Optional.of(found));
    }

    void print(PrintStream out, Path outDir) throws IOException {
        CsvReport.writeMeasurements(measurements, outDir.resolve("measurements.csv"));
        CsvReport.writeSummary(summary, outDir.resolve("summary.csv"));
        ThroughputChart.write(summary, ceilings, "Tokens/s by concurrency, one Keycloak on " + MachineFacts.brief(),
                outDir.resolve("throughput.png"));
        if (fleet.isPresent()) {
            fleet.get().write(outDir);
        }
        if (scale.isPresent()) {
            writeScale(scale.get(), outDir);
        }
        if (slowReaders.isPresent()) {
            slowReaders.get().write(outDir);
        }

        String text = text();
        Files.writeString(outDir.resolve("results.txt"), text);
        out.println();
        out.print(text);
        out.println("Figures: " + outDir.resolve("results.txt") + ", measurements.csv, summary.csv, fleet.csv, fleet-summary.csv, "
                + "scale.csv, org-creation.csv, slow-readers.csv, throughput.png");
        fleet.ifPresent(findings -> findings.printLastLines(out));
        out.printf(Locale.ROOT, "ratio_vs_client_credentials=%.2f%n", summary.ratio(BenchMain.OURS, BenchMain.BASELINE));
    }

    private String text() {
        StringBuilder text = new StringBuilder();
        text.append("Machine: ").append(MachineFacts.describe()).append('\n');
        text.append(ResultTable.render(summary, ceilings, BenchMain.OURS, BenchMain.BASELINE));
        line(text, "Saved events (the realm's \"Save events\" on): %.0f tokens/s at best, %.2f of %.0f without",
                summary.best(BenchMain.OURS_SAVED_EVENTS).tokensPerSecond(),
                summary.ratio(BenchMain.OURS_SAVED_EVENTS, BenchMain.OURS), summary.best(BenchMain.OURS).tokensPerSecond());
        line(text, "Half of our best rate, %.0f requests/s at a steady rate: p50 %.2f ms, p99 %.2f ms, p99.9 %.2f ms, %d errors",
                halfRate.requestsPerSecond(), halfRate.p50Millis(), halfRate.p99Millis(), halfRate.p999Millis(), halfRate.errors());
        line(text, "A rare mint, one at a time after 1 s with nothing to do (%d): p50 %.2f ms, p99 %.2f ms, max %.2f ms, %d errors",
                rareMint.latencies().size(), rareMint.latencies().percentileMillis(50), rareMint.latencies().percentileMillis(99),
                rareMint.latencies().percentileMillis(100), rareMint.errors());
        line(text, "Bridge: start to first token %d ms (enrolling: %d ms); resident memory %.1f MiB idle, %.1f MiB after the load",
                bridge.startToFirstToken().toMillis(), bridge.enrollingStartToFirstToken().toMillis(), bridge.idleRssMiB(),
                bridge.loadedRssMiB());
        fleet.ifPresent(findings -> text.append(findings.text()));
        slowReaders.ifPresent(findings -> text.append(findings.text()));
        scale.ifPresent(result -> {
            result.manyMachines().ifPresent(scaled -> line(text,
                    "Scale: %d machines in one org (created in %.0f s): %.0f tokens/s, %.2f of the single org's %.0f",
                    result.machines(), result.machinesCreatedIn().toNanos() / 1e9, scaled.tokensPerSecond(), scaled.ratio(),
                    scaled.singleOrgTokensPerSecond()));
            result.manyOrgs().ifPresent(scaled -> line(text,
                    "Scale: %d orgs: %.0f tokens/s, %.2f of the single org's %.0f; creating an org: median %d ms, p99 %d ms, max %d ms",
                    result.orgs(), scaled.tokensPerSecond(), scaled.ratio(), scaled.singleOrgTokensPerSecond(),
                    medianMillis(result.orgCreations()), p99Millis(result.orgCreations()), maxMillis(result.orgCreations())));
        });
        text.append("Targets:\n");
        double ratio = summary.ratio(BenchMain.OURS, BenchMain.BASELINE);
        target(text, ratio >= TARGET_RATIO, "throughput %.2f× client_credentials (≥ %.1f×)", ratio, TARGET_RATIO);
        target(text, halfRate.p99Millis() <= TARGET_HALF_RATE_P99_MILLIS, "p99 %.2f ms at half the best rate (≤ %.0f ms)",
                halfRate.p99Millis(), TARGET_HALF_RATE_P99_MILLIS);
        target(text, rareMint.errors() == 0 && rareMint.latencies().percentileMillis(99) <= TARGET_RARE_MINT_P99_MILLIS,
                "a rare mint through the socket: p99 %.2f ms, %d errors (≤ %.0f ms)", rareMint.latencies().percentileMillis(99),
                rareMint.errors(), TARGET_RARE_MINT_P99_MILLIS);
        fleet.ifPresent(findings -> findings.targets(text));
        slowReaders.ifPresent(findings -> findings.targets(text));
        scale.ifPresent(result -> {
            result.manyMachines().ifPresent(scaled -> target(text, scaled.ratio() >= TARGET_SCALE_RATIO,
                    "%d machines: %.2f of the single org (≥ %.2f)", result.machines(), scaled.ratio(), TARGET_SCALE_RATIO));
            result.manyOrgs().ifPresent(scaled -> target(text, scaled.ratio() >= TARGET_SCALE_RATIO,
                    "%d orgs: %.2f of the single org (≥ %.2f)", result.orgs(), scaled.ratio(), TARGET_SCALE_RATIO));
            if (!result.orgCreations().isEmpty()) {
                // p99, not max: the first creations also pay for JIT-compiling Keycloak's realm creation code.
                target(text, p99Millis(result.orgCreations()) <= TARGET_ORG_CREATION.toMillis(),
                        "creating an org: p99 %d ms over %d, up to %d orgs (≤ %d ms)", p99Millis(result.orgCreations()),
                        result.orgCreations().size(), result.orgs(), TARGET_ORG_CREATION.toMillis());
            }
        });
        target(text, bridge.idleRssMiB() <= TARGET_BRIDGE_IDLE_MIB, "bridge idle RSS %.1f MiB (≤ %.0f MiB)",
                bridge.idleRssMiB(), TARGET_BRIDGE_IDLE_MIB);
        target(text, bridge.startToFirstToken().compareTo(TARGET_BRIDGE_START) <= 0,
                "bridge start to first token %d ms (≤ %d ms)", bridge.startToFirstToken().toMillis(), TARGET_BRIDGE_START.toMillis());
        return text.toString();
    }

    private static void writeScale(ScaleRun.Result result, Path outDir) throws IOException {
        List<Measurement> measurements = new ArrayList<>();
        result.manyMachines().ifPresent(scaled -> measurements.addAll(scaled.measurements()));
        result.manyOrgs().ifPresent(scaled -> measurements.addAll(scaled.measurements()));
        CsvReport.writeMeasurements(measurements, outDir.resolve("scale.csv"));
        // One row per org in creation order: how creation time moves with the number of orgs.
        StringBuilder creations = new StringBuilder("orgs_before,millis\n");
        int before = result.orgs() - result.orgCreations().size();
        for (Duration creation : result.orgCreations()) {
            creations.append(before++).append(',').append(creation.toMillis()).append('\n');
        }
        Files.writeString(outDir.resolve("org-creation.csv"), creations);
    }

    static void line(StringBuilder text, String format, Object... args) {
        text.append(String.format(Locale.ROOT, format, args)).append('\n');
    }

    static void target(StringBuilder text, boolean met, String format, Object... args) {
        text.append(met ? "  met      " : "  NOT MET  ").append(String.format(Locale.ROOT, format, args)).append('\n');
    }

    private static long medianMillis(List<Duration> durations) {
        return Math.round(Median.of(durations, duration -> duration.toNanos() / 1e6));
    }

    private static long p99Millis(List<Duration> durations) {
        Latencies latencies = new Latencies();
        durations.forEach(duration -> latencies.add(duration.toNanos()));
        return Math.round(latencies.percentileMillis(99));
    }

    private static long maxMillis(List<Duration> durations) {
        return durations.stream().mapToLong(Duration::toMillis).max().orElse(0);
    }
}
