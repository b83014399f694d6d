package dev.machineoidc.bench.fleet;

import com.nimbusds.jose.jwk.ECKey;
import dev.machineoidc.bench.load.BlockingClosedLoop;
import dev.machineoidc.bench.setup.AdminCalls;
import dev.machineoidc.bridge.identity.MachineIdentity;
import dev.machineoidc.bridge.identity.MachineKeys;
import dev.machineoidc.bridge.identity.Registration;
import dev.machineoidc.bridge.keycloak.KeycloakRegistrar;
import dev.machineoidc.bridge.keycloak.KeycloakTransport;
import java.io.PrintStream;
import java.net.URI;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * A simulated fleet on one Keycloak: machines of one org, each enrolled in-process with the bridge's own code, and
 * as many confidential clients of a plain realm for the baseline. Every member is another host: its own key or
 * secret, its own TLS client. The members of each side take turns ({@link Rotation}), whichever way they connect.
 */
public final class Fleet {

    private static final String ORG = "fleet-org";
    private static final String APP = "fleet-app";
    private static final String BASELINE_REALM = "fleet-baseline";
    /** As many as ScaleRun's: an admin script's parallelism. */
    private static final int CREATORS = 4;
    private static final Duration TIMEOUT = Duration.ofSeconds(30);

    private final Rotation<FleetMachine> machines;
    private final Rotation<SecretClient> secretClients;

    private Fleet(List<FleetMachine> machines, List<SecretClient> secretClients) {
        this.machines = new Rotation<>(machines);
        this.secretClients = new Rotation<>(secretClients);
    }

    /**
     * Creates and enrolls {@code size} machines and creates {@code size} baseline clients, {@value #CREATORS} at a
     * time, saying how long each took.
     * @param keycloak Keycloak's plain HTTP base URL, where the machines enroll
     * @param trusted the certificate Keycloak serves HTTPS with, the only one the members' TLS clients trust
     */
    public static Fleet create(AdminCalls admin, URI keycloak, X509Certificate trusted, int size, PrintStream log)
            throws Exception {
        TlsClient.Factory tls = TlsClient.trusting(trusted);
        admin.createOrg(ORG);
        admin.createApp(ORG, APP);
        long started = System.nanoTime();
        List<FleetMachine> machines;
        try (KeycloakTransport transport = KeycloakTransport.start(List.of(keycloak), TIMEOUT)) {
            machines = inParallel(size, i -> enroll(admin, transport, String.format(Locale.ROOT, "fleet-machine-%05d", i), tls));
        }
        CadenceCheck.requireNewProofAfter(CadenceCheck.PERIOD, ORG, machines.get(0).identity());
        log.printf(Locale.ROOT, "fleet: %d machines created and enrolled in %.1f s%n", size, seconds(started));

        started = System.nanoTime();
        admin.createRealm(BASELINE_REALM);
        String tokenPath = "/realms/" + BASELINE_REALM + "/protocol/openid-connect/token";
        List<SecretClient> secretClients = inParallel(size, i -> {
            String clientId = String.format(Locale.ROOT, "fleet-client-%05d", i);
            String secret = admin.createClientCredentialsClient(BASELINE_REALM, clientId);
            return new SecretClient(tokenPath, form(clientId, secret), tls.create());
        });
        log.printf(Locale.ROOT, "fleet: %d client_credentials clients created in %.1f s%n", size, seconds(started));
        return new Fleet(machines, secretClients);
    }

    /** Ours: each machine's mint through its bridge's code. */
    public BlockingClosedLoop.Workers machines(Connections connections) {
        return () -> new FleetWorker<>(machines, connections.open());
    }

    /** The baseline: each client's {@code client_credentials} grant. */
    public BlockingClosedLoop.Workers secretClients(Connections connections) {
        return () -> new FleetWorker<>(secretClients, connections.open());
    }

    private static FleetMachine enroll(AdminCalls admin, KeycloakTransport transport, String name, TlsClient.Factory tls)
            throws Exception {
        AdminCalls.NewMachine machine = admin.createMachine(ORG, APP, name);
        ECKey key = MachineKeys.generate();
        Registration registration = new KeycloakRegistrar(transport, ORG, machine.machineId(), TIMEOUT)
                .register(machine.enrollmentToken(), key.toPublicJWK());
        return new FleetMachine(ORG, new MachineIdentity(key, registration), "/realms/" + ORG + "/machine-oidc/tokens",
                tls.create());
    }

    private static String form(String clientId, String secret) {
        return "grant_type=client_credentials&client_id=" + URLEncoder.encode(clientId, StandardCharsets.UTF_8)
                + "&client_secret=" + URLEncoder.encode(secret, StandardCharsets.UTF_8);
    }

    @FunctionalInterface
    private interface Creation<T> {
        T create(int number) throws Exception;
    }

    /** Numbers 1 to {@code count}, {@value #CREATORS} at a time; the results in number order. */
    private static <T> List<T> inParallel(int count, Creation<T> creation) throws Exception {
        ExecutorService creators = Executors.newFixedThreadPool(CREATORS);
        try {
            List<Future<T>> pending = new ArrayList<>(count);
            for (int i = 1; i <= count; i++) {
                int number = i;
                pending.add(creators.submit(() -> creation.create(number)));
            }
            List<T> created = new ArrayList<>(count);
            for (Future<T> future : pending) {
                created.add(future.get());
            }
            return created;
        } finally {
            creators.shutdownNow();
        }
    }

    private static double seconds(long startedNanos) {
        return (System.nanoTime() - startedNanos) / 1e9;
    }
}
