package dev.machineoidc.bench;

import dev.machineoidc.bench.report.CsvReport;
import dev.machineoidc.bench.report.FleetTable;
import dev.machineoidc.bench.report.Summary;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.Locale;

/** What the fleet part found: its table and targets, fleet.csv and fleet-summary.csv, and its two ratio lines. */
record FleetReport(FleetRun.Result result, Summary summary) implements PartReport {

    private static final double TARGET_RATIO = 2.0;
    private static final double TARGET_CPU_RATIO = 0.5;
    private static final double TARGET_TLS_RATIO = 1.5;

    static FleetReport of(FleetRun.Result result) {
        return new FleetReport(result, Summary.of(result.measurements()));
    }

    /** Tokens/s of ours over the baseline's, connecting this way. */
    double ratio(FleetRun.Mode mode) {
        return summary.ratio(mode.ours(), mode.baseline());
    }

    /** Keycloak's CPU per token of ours over the baseline's, connecting this way. */
    double cpuRatio(FleetRun.Mode mode) {
        return summary.best(mode.ours()).keycloakCpuMillisPerToken() / summary.best(mode.baseline()).keycloakCpuMillisPerToken();
    }

    @Override
    public String text() {
        StringBuilder text = new StringBuilder();
        Report.line(text, "Fleet: %d machines (ours) and %d client_credentials clients (baseline), one token at a time each, "
                + "as at the token file's 9-minute cadence; %d workers", result.machines(), result.machines(), result.concurrency());
        text.append(FleetTable.render(summary, FleetRun.MODES.stream()
                .map(mode -> new FleetTable.Pair(mode.ours(), mode.baseline())).toList(), result.resumedShares()));
        for (FleetRun.Mode mode : FleetRun.MODES) {
            Report.line(text, "  %s: %s", mode.name(), mode.description());
        }
        return text.toString();
    }

    @Override
    public void targets(StringBuilder text) {
        Report.target(text, ratio(FleetRun.KEPT_ALIVE) >= TARGET_RATIO, "fleet, kept-alive: %.2f× client_credentials (≥ %.1f×)",
                ratio(FleetRun.KEPT_ALIVE), TARGET_RATIO);
        Report.target(text, cpuRatio(FleetRun.KEPT_ALIVE) <= TARGET_CPU_RATIO,
                "fleet, kept-alive: Keycloak CPU per token %.2f of client_credentials' (≤ %.1f)", cpuRatio(FleetRun.KEPT_ALIVE),
                TARGET_CPU_RATIO);
        Report.target(text, ratio(FleetRun.TLS) >= TARGET_TLS_RATIO, "fleet, TLS per token: %.2f× client_credentials (≥ %.1f×)",
                ratio(FleetRun.TLS), TARGET_TLS_RATIO);
    }

    @Override
    public void write(Path outDir) throws IOException {
        CsvReport.writeMeasurements(result.measurements(), outDir.resolve("fleet.csv"));
        CsvReport.writeSummary(summary, outDir.resolve("fleet-summary.csv"));
    }

    /** The fleet's lines of the benchmark's last three: TLS first, kept-alive second. */
    @Override
    public void printLastLines(PrintStream out) {
        out.printf(Locale.ROOT, "fleet_tls_ratio_vs_client_credentials=%.2f%n", ratio(FleetRun.TLS));
        out.printf(Locale.ROOT, "fleet_ratio_vs_client_credentials=%.2f%n", ratio(FleetRun.KEPT_ALIVE));
    }

    @Override
    public String files() {
        return "fleet.csv, fleet-summary.csv";
    }
}
