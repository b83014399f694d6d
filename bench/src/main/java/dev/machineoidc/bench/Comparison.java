package dev.machineoidc.bench;

import dev.machineoidc.bench.load.CpuMeters;
import dev.machineoidc.bench.load.Window;
import dev.machineoidc.bench.report.Measurement;
import java.io.PrintStream;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.stream.Collectors;

/**
 * Interleaved rounds: every round measures every concurrency, and at each concurrency every side in turn, so
 * that drift of the machine over the run (other load, thermal limits, JIT, database growth) hits all sides alike.
 */
final class Comparison {

    static final String KEYCLOAK = "keycloak";
    static final String BRIDGE = "bridge";
    static final String LOAD_GENERATOR = "load generator";

    private final CpuMeters meters;
    private final Duration ramp;
    private final Duration measured;
    private final PrintStream log;

    Comparison(CpuMeters meters, Duration ramp, Duration measured, PrintStream log) {
        this.meters = meters;
        this.ramp = ramp;
        this.measured = measured;
        this.log = log;
    }

    /** Load on each side before anything counts: JIT, connection pools, caches, the bridge's session. */
    void warmUp(List<Side> sides, int concurrency, Duration length) throws Exception {
        for (Side side : sides) {
            side.prepare().run();
            Window window = side.load().run(concurrency, Duration.ZERO, length, meters);
            log.printf(Locale.ROOT, "warm-up  %-30s c=%-3d %8.0f tokens/s%s%n", side.name(), concurrency,
                    window.tokensPerSecond(), errors(window));
        }
    }

    List<Measurement> rounds(List<Side> sides, List<Integer> concurrencies, int rounds) throws Exception {
        List<Measurement> measurements = new ArrayList<>();
        for (int round = 1; round <= rounds; round++) {
            for (int concurrency : concurrencies) {
                for (Side side : sides) {
                    measurements.add(measure(side, concurrency, round, rounds));
                }
            }
        }
        return measurements;
    }

    Measurement measure(Side side, int concurrency, int round, int rounds) throws Exception {
        side.prepare().run();
        Window window = side.load().run(concurrency, ramp, measured, meters);
        log.printf(Locale.ROOT, "round %d/%d %-30s c=%-3d %8.0f tokens/s  p50 %6.2f  p99 %7.2f ms  CPU/token: %s%s%n",
                round, rounds, side.name(), concurrency, window.tokensPerSecond(),
                window.latencies().percentileMillis(50), window.latencies().percentileMillis(99), cpuPerToken(window),
                errors(window));
        return new Measurement(side.name(), concurrency, round, window.tokens(), window.errors(), window.seconds(),
                window.latencies().percentileMillis(50), window.latencies().percentileMillis(99),
                window.latencies().percentileMillis(99.9), window.cpuMillisPerToken(KEYCLOAK));
    }

    /** Each metered process's CPU per token, e.g. {@code keycloak 0.31, load generator 0.06 ms}. */
    private static String cpuPerToken(Window window) {
        return window.cpu().keySet().stream()
                .map(process -> String.format(Locale.ROOT, "%s %.2f", process, window.cpuMillisPerToken(process)))
                .collect(Collectors.joining(", ", "", " ms"));
    }

    static String errors(Window window) {
        return window.errors() == 0 ? "" : "  ERRORS " + window.errors() + " (first: " + window.firstError() + ")";
    }
}
