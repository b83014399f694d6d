package dev.machineoidc.bench;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/** The benchmark's command line; bench/run.sh passes the paths, a user may pass the rest (see --help). */
record BenchOptions(Path keycloakHome, List<Path> providerJars, Path bridgeLauncher, Path workDir, Path outDir,
                    int rounds, Duration measured, Duration ramp, Duration warmUp, List<Integer> concurrencies,
                    int scaleOrgs, int scaleMachines, boolean fleetOnly, int fleetMachines, int fleetConcurrency,
                    boolean slowReadersOnly, int slowConnections, double slowReadersRate, boolean machineListOnly,
                    int httpPort, int httpsPort, int managementPort, String keycloakJvmOptions) {

    static final String USAGE = """
            Usage: bench/run.sh [options]
              --rounds N             interleaved rounds per side and concurrency; the median is reported (default 3)
              --seconds S            length of each measured window (default 8)
              --ramp-seconds S       unmeasured load at the same concurrency before each window (default 2)
              --warmup-seconds S     load on each side before the first round (default 20)
              --concurrency LIST     comma-separated concurrencies (default 1,4,16,64)
              --scale-orgs N         org realms for the scaling run, 0 to skip it (default 1000)
              --scale-machines N     machines in one org for the scaling run, 0 to skip it (default 10000)
              --fleet                only the fleet part: N machines, each minting as its bridge does once per
                                     9 minutes (nothing to batch, no proof to reuse), against N client_credentials
                                     clients; over kept-alive HTTP and over a new TLS connection per token
              --fleet-machines N     machines (and baseline clients) of the fleet part, 0 to skip it (default 1000)
              --fleet-concurrency C  fleet requests in flight, one blocking worker each (default 16)
              --slow-readers         only the slow-readers part: mint latency at a steady rate with N stalled clients
                                     on the bridge's socket (half mid-head, half mid-body) against the same without
                                     them; the bridge's Keycloak is a stub, so no Keycloak is started
              --slow-connections N   stalled clients of the slow-readers part, 0 to skip it (default 500)
              --slow-readers-rate R  mints per second of the slow-readers part (default 200)
              --machine-list         only the admin machines list: one app of --scale-machines machines, each page
                                     shape against Keycloak's own client search over the same clients, warm and cold
              --keycloak-jvm-options OPTS  appended to Keycloak's JVM options (default "-Xms1g -Xmx2g")
            """;

    static BenchOptions parse(String[] args) {
        Path keycloakHome = null;
        List<Path> providerJars = new ArrayList<>();
        Path bridgeLauncher = null;
        Path workDir = Path.of("bench/target/bench-run");
        Path outDir = Path.of("bench/target/bench-results");
        int rounds = 3;
        Duration measured = Duration.ofSeconds(8);
        Duration ramp = Duration.ofSeconds(2);
        Duration warmUp = Duration.ofSeconds(20);
        List<Integer> concurrencies = List.of(1, 4, 16, 64);
        int scaleOrgs = 1000;
        int scaleMachines = 10_000;
        boolean fleetOnly = false;
        int fleetMachines = 1000;
        int fleetConcurrency = 16;
        boolean slowReadersOnly = false;
        boolean machineListOnly = false;
        int slowConnections = 500;
        int slowReadersRate = 200;
        int httpPort = 8190;
        int httpsPort = 8490;
        int managementPort = 9190;
        String jvmOptions = "-Xms1g -Xmx2g";
        for (int i = 0; i < args.length; i++) {
            String option = args[i];
            if (option.equals("--help") || option.equals("-h")) {
                throw new UsageException("");
            }
            if (option.equals("--fleet")) {
                fleetOnly = true;
                continue;
            }
            if (option.equals("--slow-readers")) {
                slowReadersOnly = true;
                continue;
            }
            if (option.equals("--machine-list")) {
                machineListOnly = true;
                continue;
            }
            if (i + 1 >= args.length) {
                throw new UsageException(option + " needs a value");
            }
            String value = args[++i];
            switch (option) {
                case "--keycloak-home" -> keycloakHome = Path.of(value);
                case "--provider-jar" -> providerJars.add(Path.of(value));
                case "--bridge-launcher" -> bridgeLauncher = Path.of(value);
                case "--work-dir" -> workDir = Path.of(value);
                case "--out-dir" -> outDir = Path.of(value);
                case "--rounds" -> rounds = positive(option, value);
                case "--seconds" -> measured = Duration.ofSeconds(positive(option, value));
                case "--ramp-seconds" -> ramp = Duration.ofSeconds(notNegative(option, value));
                case "--warmup-seconds" -> warmUp = Duration.ofSeconds(notNegative(option, value));
                case "--concurrency" -> concurrencies = Arrays.stream(value.split(","))
                        .map(String::trim).map(c -> positive(option, c)).sorted().distinct().toList();
                case "--scale-orgs" -> scaleOrgs = notNegative(option, value);
                case "--scale-machines" -> scaleMachines = notNegative(option, value);
                case "--fleet-machines" -> fleetMachines = notNegative(option, value);
                case "--fleet-concurrency" -> fleetConcurrency = positive(option, value);
                case "--slow-connections" -> slowConnections = notNegative(option, value);
                case "--slow-readers-rate" -> slowReadersRate = positive(option, value);
                case "--http-port" -> httpPort = positive(option, value);
                case "--https-port" -> httpsPort = positive(option, value);
                case "--management-port" -> managementPort = positive(option, value);
                case "--keycloak-jvm-options" -> jvmOptions = value;
                default -> throw new UsageException("unknown option " + option);
            }
        }
        if (keycloakHome == null || providerJars.isEmpty() || bridgeLauncher == null) {
            throw new UsageException("--keycloak-home, --provider-jar and --bridge-launcher are required (bench/run.sh passes them)");
        }
        if ((fleetOnly ? 1 : 0) + (slowReadersOnly ? 1 : 0) + (machineListOnly ? 1 : 0) > 1) {
            throw new UsageException("--fleet, --slow-readers and --machine-list each run one part alone: choose one");
        }
        if (machineListOnly && scaleMachines == 0) {
            throw new UsageException("--machine-list needs --scale-machines above 0");
        }
        if (slowReadersOnly && slowConnections == 0) {
            throw new UsageException("--slow-readers needs --slow-connections above 0");
        }
        if (fleetOnly && fleetMachines == 0) {
            throw new UsageException("--fleet needs --fleet-machines above 0");
        }
        // Each worker needs an idle machine to take: with fewer machines, workers would only wait.
        if (fleetMachines > 0 && fleetMachines < fleetConcurrency) {
            throw new UsageException("--fleet-machines must be at least --fleet-concurrency (" + fleetConcurrency + ")");
        }
        return new BenchOptions(keycloakHome, List.copyOf(providerJars), bridgeLauncher, workDir.toAbsolutePath(),
                outDir.toAbsolutePath(), rounds, measured, ramp, warmUp, concurrencies, scaleOrgs, scaleMachines,
                fleetOnly, fleetMachines, fleetConcurrency, slowReadersOnly, slowConnections, slowReadersRate, machineListOnly, httpPort,
                httpsPort, managementPort, jvmOptions);
    }

    private static int positive(String option, String value) {
        int number = notNegative(option, value);
        if (number == 0) {
            throw new UsageException(option + " must be positive");
        }
        return number;
    }

    private static int notNegative(String option, String value) {
        try {
            int number = Integer.parseInt(value);
            if (number < 0) {
                throw new UsageException(option + " must not be negative");
            }
            return number;
        } catch (NumberFormatException e) {
            throw new UsageException(option + " takes a whole number, not '" + value + "'");
        }
    }

    static final class UsageException extends RuntimeException {
        UsageException(String message) {
            super(message);
        }
    }
}
