package dev.machineoidc.bench;

import dev.machineoidc.bench.load.CpuMeters;
import dev.machineoidc.bench.load.FixedRate;
import dev.machineoidc.bench.load.SlowClients;
import dev.machineoidc.bench.load.Target;
import dev.machineoidc.bench.load.Window;
import dev.machineoidc.bench.setup.AdminCalls;
import dev.machineoidc.bench.setup.BridgeProcess;
import dev.machineoidc.bench.setup.StubKeycloak;
import dev.machineoidc.bench.source.SocketMint;
import java.io.PrintStream;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.eclipse.jetty.client.HttpClient;
import org.eclipse.jetty.client.Request;

/**
 * Mint latency with many stalled clients on the socket, against the same without them, in interleaved rounds: one
 * bridge, started through its launcher with its shipped JVM options, whose Keycloak is a stub that answers at once,
 * so that what is measured is the bridge's socket layer. Normal mints come at a steady rate (latency counted from
 * when each was due); in the loaded rounds {@code --slow-connections} clients stall mid-head or mid-body all along.
 */
final class SlowReadersRun {

    static final String ALONE = "mint alone";
    static final String WITH_SLOW = "mint with slow connections";
    private static final String ORG = "slow-readers";
    private static final String MACHINE_ID = "5e1a7ed0000001";
    /** A normal request's answer is due in milliseconds; a bridge that starves it must not stall the benchmark. */
    private static final Duration ANSWER_TIMEOUT = Duration.ofSeconds(5);
    private static final int MAX_IN_FLIGHT = 256;
    private static final Duration ALL_CONNECTED = Duration.ofSeconds(10);

    /**
     * One measured window: its side, what the slow clients did over its ramp and window ({@code slowTallied}), and the
     * bridge's memory after it.
     */
    record Round(String side, int round, Window window, int slowOpenAtStart, int slowOpenAtEnd,
                 SlowClients.Tally slowDuring, Duration slowTallied, double bridgeRssMiB) {
    }

    record Result(int slowConnections, double requestsPerSecond, List<Round> rounds) {
    }

    private final BenchOptions options;
    private final HttpClient http;
    private final PrintStream log;

    SlowReadersRun(BenchOptions options, HttpClient http, PrintStream log) {
        this.options = options;
        this.http = http;
        this.log = log;
    }

    Result run() throws Exception {
        try (StubKeycloak keycloak = StubKeycloak.start(ORG);
             Bridges bridges = new Bridges(options.bridgeLauncher(), keycloak.baseUrl(), options.workDir(), http)) {
            AdminCalls.NewMachine machine = new AdminCalls.NewMachine(ORG, MACHINE_ID, "stub-enrollment-token");
            BridgeProcess bridge = bridges.start("slow-readers", machine, Optional.of(machine.enrollmentToken()));
            Target mint = answeredWithin(new SocketMint(http, bridge.socket()), ANSWER_TIMEOUT);
            CpuMeters meters = new CpuMeters().add(Comparison.BRIDGE, bridge::cpuTime);
            log.printf(Locale.ROOT, "slow readers: %d slow connections, %.0f mints/s; Keycloak is a stub that answers at once "
                    + "(the bridge's socket layer is measured)%n", options.slowConnections(), options.slowReadersRate());

            Duration warmUp = options.warmUp().dividedBy(2);
            measure(mint, bridge, meters, ALONE, 0, Duration.ZERO, warmUp);
            measure(mint, bridge, meters, WITH_SLOW, 0, Duration.ZERO, warmUp);
            List<Round> rounds = new ArrayList<>();
            for (int round = 1; round <= options.rounds(); round++) {
                rounds.add(measure(mint, bridge, meters, ALONE, round, options.ramp(), options.measured()));
                rounds.add(measure(mint, bridge, meters, WITH_SLOW, round, options.ramp(), options.measured()));
            }
            return new Result(options.slowConnections(), options.slowReadersRate(), rounds);
        }
    }

    /** @param round 0 for warm-up */
    private Round measure(Target mint, BridgeProcess bridge, CpuMeters meters, String side, int round, Duration ramp,
                          Duration measured) throws Exception {
        int slowCount = side.equals(WITH_SLOW) ? options.slowConnections() : 0;
        try (SlowClients slow = SlowClients.start(bridge.socket(), slowCount)) {
            awaitConnected(slow, slowCount);
            int openAtStart = slow.open();
            SlowClients.Tally before = slow.tally();
            long started = System.nanoTime();
            Window window = FixedRate.run(mint, options.slowReadersRate(), MAX_IN_FLIGHT, ramp, measured, meters);
            SlowClients.Tally after = slow.tally();
            Round result = new Round(side, round, window, openAtStart, slow.open(), minus(after, before),
                    Duration.ofNanos(System.nanoTime() - started), bridge.residentMiB());
            log.printf(Locale.ROOT, "%s %-28s p50 %6.2f  p99 %7.2f  max %7.2f ms; slow open %d→%d, cut %d, 408s %d; "
                            + "bridge RSS %.1f MiB%s%n", round == 0 ? "warm-up  " : "round " + round + "/" + options.rounds(),
                    side, window.latencies().percentileMillis(50), window.latencies().percentileMillis(99),
                    window.latencies().percentileMillis(100), openAtStart, result.slowOpenAtEnd(),
                    result.slowDuring().closedByServer(), result.slowDuring().timeoutAnswers(), result.bridgeRssMiB(),
                    Comparison.errors(window));
            return result;
        }
    }

    private static void awaitConnected(SlowClients slow, int count) throws InterruptedException {
        long deadline = System.nanoTime() + ALL_CONNECTED.toNanos();
        while (slow.open() < count && System.nanoTime() < deadline) {
            TimeUnit.MILLISECONDS.sleep(50);
        }
    }

    private static SlowClients.Tally minus(SlowClients.Tally after, SlowClients.Tally before) {
        return new SlowClients.Tally(after.connects() - before.connects(),
                after.refusedConnects() - before.refusedConnects(), after.closedByServer() - before.closedByServer(),
                after.timeoutAnswers() - before.timeoutAnswers(), after.otherAnswers() - before.otherAnswers());
    }

    private static Target answeredWithin(Target target, Duration timeout) {
        return new Target() {
            @Override
            public Request newRequest() {
                return target.newRequest().timeout(timeout.toMillis(), TimeUnit.MILLISECONDS);
            }

            @Override
            public boolean isToken(String body) {
                return target.isToken(body);
            }
        };
    }
}
