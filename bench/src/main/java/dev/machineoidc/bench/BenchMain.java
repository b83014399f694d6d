package dev.machineoidc.bench;

import dev.machineoidc.arquillian.DirectoryTrees;
import dev.machineoidc.bench.load.CpuMeters;
import dev.machineoidc.bench.load.FixedRate;
import dev.machineoidc.bench.load.RareRequests;
import dev.machineoidc.bench.load.Target;
import dev.machineoidc.bench.load.Window;
import dev.machineoidc.bench.report.Ceiling;
import dev.machineoidc.bench.report.Measurement;
import dev.machineoidc.bench.report.Summary;
import dev.machineoidc.bench.setup.AdminCalls;
import dev.machineoidc.bench.setup.BenchKeycloak;
import dev.machineoidc.bench.setup.BridgeProcess;
import dev.machineoidc.bench.signing.Providers;
import dev.machineoidc.bench.signing.SigningCeiling;
import dev.machineoidc.bench.source.ClientCredentialsGrant;
import dev.machineoidc.bench.source.LoadClient;
import dev.machineoidc.bench.source.SocketMint;
import java.io.PrintStream;
import java.net.URI;
import java.nio.file.Files;
import java.security.Provider;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import org.eclipse.jetty.client.HttpClient;

/**
 * {@code bench/run.sh}: starts one Keycloak with the extension, one bridge, and a plain confidential client; then
 * measures minting through the bridge's socket against {@code client_credentials}, the RS256 ceiling, latency at
 * half our best rate, the bridge's footprint, a fleet of machines that each mint rarely, and minting among many
 * orgs and machines, and mint latency with many stalled clients on the bridge's socket. Prints a table and ends with
 * the fleet's two ratios and {@code ratio_vs_client_credentials=<x.xx>}. With {@code --fleet} only the fleet is
 * measured, and its ratios end the output; with {@code --slow-readers} only the slow readers, against a stub Keycloak;
 * with {@code --machine-list} only the admin API's machines list of one large app.
 */
public final class BenchMain {

    static final String OURS = "machine-oidc";
    static final String OURS_SAVED_EVENTS = "machine-oidc+saved-events";
    static final String BASELINE = "client_credentials";
    private static final String ORG = "bench-org";
    private static final String APP = "bench-app";
    private static final String BASELINE_REALM = "bench-baseline";
    private static final int WARM_UP_CONCURRENCY = 16;
    private static final Duration CEILING_WARM_UP = Duration.ofSeconds(3);
    private static final Duration CEILING_MEASURED = Duration.ofSeconds(5);
    private static final Duration IDLE_BEFORE_RSS = Duration.ofSeconds(5);
    private static final int MAX_IN_FLIGHT = 256;
    /** A token now and then through an idle bridge: 100 of them make a p99 that is more than the maximum of a few. */
    private static final int RARE_MINTS = 100;
    private static final Duration RARE_MINT_IDLE = Duration.ofSeconds(1);

    private final BenchOptions options;
    private final PrintStream out = System.out;

    private BenchMain(BenchOptions options) {
        this.options = options;
    }

    public static void main(String[] args) {
        BenchOptions options;
        try {
            options = BenchOptions.parse(args);
        } catch (BenchOptions.UsageException e) {
            if (!e.getMessage().isEmpty()) {
                System.err.println("bench: " + e.getMessage());
            }
            System.err.print(BenchOptions.USAGE);
            System.exit(e.getMessage().isEmpty() ? 0 : 2);
            return;
        }
        Providers.installForLoadGenerator();
        try {
            new BenchMain(options).run();
            System.exit(0);
        } catch (Exception e) {
            System.err.println("bench: failed: " + e);
            e.printStackTrace();
            System.exit(1);
        }
    }

    private void run() throws Exception {
        Files.createDirectories(options.outDir());
        DirectoryTrees.delete(options.workDir().resolve("bridges"));
        out.println("Machine: " + MachineFacts.describe());
        if (options.slowReadersOnly()) {
            HttpClient http = LoadClient.start();
            try {
                new SlowReadersReport(new SlowReadersRun(options, http, out).run()).printAlone(out, options.outDir());
            } finally {
                http.stop();
            }
            return;
        }
        if (options.machineListOnly()) {
            try (BenchKeycloak keycloak = startKeycloak()) {
                new MachineListRun(new AdminCalls(keycloak.server().admin()), options.scaleMachines(), out)
                        .run(options.outDir());
            }
            return;
        }
        if (options.fleetOnly()) {
            FleetReport fleet;
            try (BenchKeycloak keycloak = startKeycloak()) {
                CpuMeters meters = new CpuMeters().add(Comparison.KEYCLOAK, keycloak::cpuTime)
                        .add(Comparison.LOAD_GENERATOR, BenchMain::loadGeneratorCpu);
                fleet = fleet(keycloak, new AdminCalls(keycloak.server().admin()), comparison(meters));
            }
            fleet.printAlone(out, options.outDir());
            return;
        }

        // Before Keycloak starts, so that nothing else competes for the cores.
        List<Ceiling> ceilings = signingCeilings();

        Report report;
        HttpClient http = LoadClient.start();
        try {
            try (BenchKeycloak keycloak = startKeycloak();
                 Bridges bridges = new Bridges(options.bridgeLauncher(), keycloak.baseUrl(), options.workDir(), http)) {
                report = measure(keycloak, bridges, http, ceilings);
            }
            // Once Keycloak is gone: this part needs a bridge only, with a stub for its Keycloak.
            if (options.slowConnections() > 0) {
                report = report.withSlowReaders(new SlowReadersReport(new SlowReadersRun(options, http, out).run()));
            }
        } finally {
            http.stop();
        }
        report.print(out, options.outDir());
    }

    private BenchKeycloak startKeycloak() throws Exception {
        return BenchKeycloak.start(options.keycloakHome(), options.workDir(), options.providerJars(), options.httpPort(),
                options.httpsPort(), options.managementPort(), options.keycloakJvmOptions());
    }

    private Comparison comparison(CpuMeters meters) {
        return new Comparison(meters, options.ramp(), options.measured(), out);
    }

    private FleetReport fleet(BenchKeycloak keycloak, AdminCalls admin, Comparison comparison) throws Exception {
        return FleetReport.of(new FleetRun(admin, keycloak, comparison, options, out).run());
    }

    private static Duration loadGeneratorCpu() {
        return ProcessHandle.current().info().totalCpuDuration().orElse(Duration.ZERO);
    }

    private List<Ceiling> signingCeilings() throws Exception {
        SigningCeiling signing = new SigningCeiling();
        int cores = Runtime.getRuntime().availableProcessors();
        List<Ceiling> ceilings = new ArrayList<>();
        for (Provider provider : Providers.rs256()) {
            for (int threads : cores > 1 ? List.of(1, cores) : List.of(1)) {
                Ceiling ceiling = signing.measure(provider, threads, CEILING_WARM_UP, CEILING_MEASURED);
                out.printf(Locale.ROOT, "RS256 ceiling %-20s %d thread(s) %8.0f signatures/s%n", ceiling.provider(), threads,
                        ceiling.signaturesPerSecond());
                ceilings.add(ceiling);
            }
        }
        return ceilings;
    }

    private Report measure(BenchKeycloak keycloak, Bridges bridges, HttpClient http, List<Ceiling> ceilings) throws Exception {
        AdminCalls admin = new AdminCalls(keycloak.server().admin());
        admin.createOrg(ORG);
        admin.createApp(ORG, APP);
        AdminCalls.NewMachine machine = admin.createMachine(ORG, APP, "bench-machine");
        admin.createRealm(BASELINE_REALM);
        String secret = admin.createClientCredentialsClient(BASELINE_REALM, "bench-client");

        BridgeProcess enrolling = bridges.start("bench", machine, Optional.of(machine.enrollmentToken()));
        Duration firstStart = enrolling.startToFirstToken();
        bridges.stop(enrolling);
        BridgeProcess bridge = bridges.start("bench", machine, Optional.empty());
        Duration restart = bridge.startToFirstToken();
        Thread.sleep(IDLE_BEFORE_RSS.toMillis()); // the definition of idle: this long without a request
        double idleRss = bridge.residentMiB();
        out.printf(Locale.ROOT, "bridge: start to first token %d ms enrolling, %d ms enrolled; idle RSS %.1f MiB%n",
                firstStart.toMillis(), restart.toMillis(), idleRss);

        URI tokenEndpoint = keycloak.baseUrl().resolve("/realms/" + BASELINE_REALM + "/protocol/openid-connect/token");
        SocketMint socketMint = new SocketMint(http, bridge.socket());
        Side ours = Side.of(OURS, socketMint, () -> admin.storeEvents(ORG, false));
        Side oursSavingEvents = Side.of(OURS_SAVED_EVENTS, socketMint, () -> admin.storeEvents(ORG, true));
        Side baseline = Side.of(BASELINE, new ClientCredentialsGrant(http, tokenEndpoint, "bench-client", secret));
        List<Side> sides = List.of(ours, baseline, oursSavingEvents);

        CpuMeters meters = new CpuMeters().add(Comparison.KEYCLOAK, keycloak::cpuTime).add(Comparison.BRIDGE, bridges::cpuTime)
                .add(Comparison.LOAD_GENERATOR, BenchMain::loadGeneratorCpu);
        Comparison comparison = comparison(meters);
        comparison.warmUp(sides, WARM_UP_CONCURRENCY, options.warmUp());
        List<Measurement> measurements = comparison.rounds(sides, options.concurrencies(), options.rounds());
        Summary summary = Summary.of(measurements);

        ours.prepare().run();
        HalfRateLatency halfRate = halfRateLatency(socketMint, summary.best(OURS).tokensPerSecond(), meters);
        RareRequests.Result rareMint = RareRequests.run(socketMint, RARE_MINTS, RARE_MINT_IDLE);
        out.printf(Locale.ROOT, "rare mint, %d after %d ms idle each: p50 %.2f  p99 %.2f  max %.2f ms%s%n", RARE_MINTS,
                RARE_MINT_IDLE.toMillis(), rareMint.latencies().percentileMillis(50), rareMint.latencies().percentileMillis(99),
                rareMint.latencies().percentileMillis(100), rareMint.errors() == 0 ? "" : "  ERRORS " + rareMint.errors()
                        + " (first: " + rareMint.firstError() + ")");
        double loadedRss = bridge.residentMiB();

        Optional<FleetReport> fleet = options.fleetMachines() > 0
                ? Optional.of(fleet(keycloak, admin, comparison)) : Optional.empty();

        Optional<ScaleRun.Result> scale = Optional.empty();
        if (options.scaleOrgs() > 0 || options.scaleMachines() > 0) {
            ScaleRun scaleRun = new ScaleRun(admin, bridges, http, comparison, options, out);
            scale = Optional.of(scaleRun.run(ours, summary.best(OURS).concurrency()));
        }
        return new Report(measurements, summary, ceilings, halfRate, rareMint,
                new Report.BridgeFootprint(firstStart, restart, idleRss, loadedRss), fleet, scale, Optional.empty());
    }

    /** The latency through the socket at half our best closed-loop rate, at a steady arrival rate. */
    private HalfRateLatency halfRateLatency(Target ours, double bestRate, CpuMeters meters) throws Exception {
        double rate = bestRate / 2;
        List<Window> windows = new ArrayList<>();
        for (int round = 1; round <= options.rounds(); round++) {
            Window window = FixedRate.run(ours, rate, MAX_IN_FLIGHT, options.ramp(), options.measured(), meters);
            out.printf(Locale.ROOT, "half rate %d/%d %.0f requests/s: %8.0f tokens/s  p50 %6.2f  p99 %7.2f  p99.9 %7.2f ms%s%n",
                    round, options.rounds(), rate, window.tokensPerSecond(), window.latencies().percentileMillis(50),
                    window.latencies().percentileMillis(99), window.latencies().percentileMillis(99.9), Comparison.errors(window));
            windows.add(window);
        }
        return HalfRateLatency.of(rate, windows);
    }
}
