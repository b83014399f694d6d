package dev.machineoidc.bench;

import dev.machineoidc.bench.report.Measurement;
import dev.machineoidc.bench.report.Summary;
import dev.machineoidc.bench.setup.AdminCalls;
import dev.machineoidc.bench.setup.BridgeProcess;
import dev.machineoidc.bench.source.SocketMint;
import java.io.PrintStream;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import org.eclipse.jetty.client.HttpClient;

/**
 * Minting among many: one org holding {@code --scale-machines} machines, then {@code --scale-orgs} org realms in
 * all. In each case a bridge of a machine created last mints against the first org's bridge in interleaved rounds
 * at our best concurrency, so the ratio shows what the realm and client caches, the database and the key lookups
 * cost at that size.
 */
final class ScaleRun {

    private static final String MACHINES_ORG = "scale-machines";
    private static final String APP = "scale-app";
    private static final int CREATORS = 4;

    /** One size compared with the single org: the medians of both sides and their ratio. */
    record Scaled(String side, double tokensPerSecond, double singleOrgTokensPerSecond, List<Measurement> measurements) {
        double ratio() {
            return tokensPerSecond / singleOrgTokensPerSecond;
        }
    }

    record Result(int machines, Duration machinesCreatedIn, Optional<Scaled> manyMachines, int orgs,
                  List<Duration> orgCreations, Optional<Scaled> manyOrgs) {
    }

    private final AdminCalls admin;
    private final Bridges bridges;
    private final HttpClient http;
    private final Comparison comparison;
    private final BenchOptions options;
    private final PrintStream log;

    ScaleRun(AdminCalls admin, Bridges bridges, HttpClient http, Comparison comparison, BenchOptions options, PrintStream log) {
        this.admin = admin;
        this.bridges = bridges;
        this.http = http;
        this.comparison = comparison;
        this.options = options;
        this.log = log;
    }

    Result run(Side singleOrg, int concurrency) throws Exception {
        int orgs = 1;
        Duration machinesCreatedIn = Duration.ZERO;
        Optional<Scaled> manyMachines = Optional.empty();
        if (options.scaleMachines() > 0) {
            admin.createOrg(MACHINES_ORG);
            orgs++;
            admin.createApp(MACHINES_ORG, APP);
            long started = System.nanoTime();
            AdminCalls.NewMachine last = admin.createMachines(MACHINES_ORG, APP, "machine-", options.scaleMachines(), CREATORS);
            machinesCreatedIn = Duration.ofNanos(System.nanoTime() - started);
            log.printf(Locale.ROOT, "scale: %d machines created in one org in %.1f s%n", options.scaleMachines(),
                    machinesCreatedIn.toNanos() / 1e9);
            manyMachines = Optional.of(compare(singleOrg, concurrency, oursWith(options.scaleMachines() + "-machines"), last));
        }
        List<Duration> orgCreations = new ArrayList<>();
        Optional<Scaled> manyOrgs = Optional.empty();
        if (options.scaleOrgs() > orgs) {
            String lastOrg = null;
            for (int i = orgs + 1; i <= options.scaleOrgs(); i++) {
                lastOrg = String.format(Locale.ROOT, "scale-org-%04d", i);
                long started = System.nanoTime();
                admin.createOrg(lastOrg);
                orgCreations.add(Duration.ofNanos(System.nanoTime() - started));
                if (i % 100 == 0) {
                    log.printf(Locale.ROOT, "scale: %d orgs, the last created in %d ms%n", i,
                            orgCreations.get(orgCreations.size() - 1).toMillis());
                }
            }
            orgs = options.scaleOrgs();
            admin.createApp(lastOrg, APP);
            AdminCalls.NewMachine machine = admin.createMachine(lastOrg, APP, "scale-machine");
            manyOrgs = Optional.of(compare(singleOrg, concurrency, oursWith(orgs + "-orgs"), machine));
        }
        return new Result(options.scaleMachines(), machinesCreatedIn, manyMachines, orgs, orgCreations, manyOrgs);
    }

    private static String oursWith(String size) {
        return BenchMain.OURS + "@" + size;
    }

    private Scaled compare(Side singleOrg, int concurrency, String side, AdminCalls.NewMachine machine) throws Exception {
        BridgeProcess bridge = bridges.start(side, machine, Optional.of(machine.enrollmentToken()));
        try {
            Side scaled = Side.of(side, new SocketMint(http, bridge.socket()));
            comparison.warmUp(List.of(scaled), concurrency, options.warmUp());
            List<Measurement> measurements = comparison.rounds(List.of(singleOrg, scaled), List.of(concurrency), options.rounds());
            Summary summary = Summary.of(measurements);
            Scaled result = new Scaled(side, summary.best(side).tokensPerSecond(), summary.best(BenchMain.OURS).tokensPerSecond(),
                    measurements);
            log.printf(Locale.ROOT, "scale: %s %.0f tokens/s against %.0f in the single org: %.2f%n", side,
                    result.tokensPerSecond(), result.singleOrgTokensPerSecond(), result.ratio());
            return result;
        } finally {
            bridges.stop(bridge);
        }
    }
}
