package dev.machineoidc.bench;

import dev.machineoidc.bench.fleet.Connections;
import dev.machineoidc.bench.fleet.Fleet;
import dev.machineoidc.bench.fleet.Handshakes;
import dev.machineoidc.bench.load.BlockingClosedLoop;
import dev.machineoidc.bench.report.Measurement;
import dev.machineoidc.bench.setup.AdminCalls;
import dev.machineoidc.bench.setup.BenchKeycloak;
import java.io.PrintStream;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The fleet: {@code --fleet-machines} machines, each minting one token at a time with nothing to batch with, against
 * as many {@code client_credentials} clients, {@code --fleet-concurrency} blocking workers taking the members in
 * turn. Both sides over kept-alive HTTP, then both over a new TLS connection per token, in interleaved rounds.
 */
final class FleetRun {

    /** One way of connecting, with the names of its two sides. */
    record Mode(String name, boolean tlsPerToken, String description) {

        String ours() {
            return name + " " + BenchMain.OURS;
        }

        String baseline() {
            return name + " " + BenchMain.BASELINE;
        }
    }

    static final Mode KEPT_ALIVE = new Mode("fleet", false, "kept-alive HTTP, one connection per worker");
    static final Mode TLS = new Mode("fleet-tls", true, "TLS, a new connection per token, each member resuming its own session");
    static final List<Mode> MODES = List.of(KEPT_ALIVE, TLS);

    /**
     * @param resumedShares per TLS side, the share of its connections in the measured rounds (ramps included) that
     *     resumed the member's session
     */
    record Result(int machines, int concurrency, List<Measurement> measurements, Map<String, Double> resumedShares) {
    }

    private final AdminCalls admin;
    private final BenchKeycloak keycloak;
    private final Comparison comparison;
    private final BenchOptions options;
    private final PrintStream log;

    FleetRun(AdminCalls admin, BenchKeycloak keycloak, Comparison comparison, BenchOptions options, PrintStream log) {
        this.admin = admin;
        this.keycloak = keycloak;
        this.comparison = comparison;
        this.options = options;
        this.log = log;
    }

    Result run() throws Exception {
        Fleet fleet = Fleet.create(admin, keycloak.baseUrl(), keycloak.certificate(), options.fleetMachines(), log);
        Map<String, Handshakes> handshakes = new LinkedHashMap<>();
        List<Side> sides = new ArrayList<>();
        for (Mode mode : MODES) {
            sides.add(side(mode.ours(), fleet::machines, mode, handshakes));
            sides.add(side(mode.baseline(), fleet::secretClients, mode, handshakes));
        }
        // The warm-up also gives the members their first, full TLS handshakes: the rounds see a fleet's resumptions.
        comparison.warmUp(sides, options.fleetConcurrency(), options.warmUp());
        Map<String, Handshakes.Count> before = new LinkedHashMap<>();
        handshakes.forEach((side, counter) -> before.put(side, counter.count()));
        List<Measurement> measurements = comparison.rounds(sides, List.of(options.fleetConcurrency()), options.rounds());
        Map<String, Double> resumedShares = new LinkedHashMap<>();
        handshakes.forEach((side, counter) -> {
            Handshakes.Count rounds = counter.count().minus(before.get(side));
            resumedShares.put(side, rounds.resumedShare());
            log.printf(Locale.ROOT, "%s: %d of %d TLS connections resumed a session%n", side, rounds.resumed(),
                    rounds.connections());
        });
        return new Result(options.fleetMachines(), options.fleetConcurrency(), measurements, resumedShares);
    }

    @FunctionalInterface
    private interface Members {
        BlockingClosedLoop.Workers over(Connections connections);
    }

    private Side side(String name, Members members, Mode mode, Map<String, Handshakes> handshakes) {
        Connections connections;
        if (mode.tlsPerToken()) {
            Handshakes counter = new Handshakes();
            handshakes.put(name, counter);
            connections = Connections.tlsPerToken(keycloak.httpsUrl(), counter);
        } else {
            connections = Connections.keptAlive(keycloak.baseUrl());
        }
        BlockingClosedLoop.Workers workers = members.over(connections);
        return new Side(name, (concurrency, ramp, measured, meters) ->
                BlockingClosedLoop.run(workers, concurrency, ramp, measured, meters), () -> { });
    }
}
