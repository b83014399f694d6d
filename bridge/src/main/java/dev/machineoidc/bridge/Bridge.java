package dev.machineoidc.bridge;

import dev.machineoidc.bridge.api.ErrorBody;
import dev.machineoidc.bridge.api.StatusServlet;
import dev.machineoidc.bridge.api.TokenServlet;
import dev.machineoidc.bridge.config.BridgeConfig;
import dev.machineoidc.bridge.config.GcpCredentials;
import dev.machineoidc.bridge.config.TokenFileSpec;
import dev.machineoidc.bridge.files.AtomicFiles;
import dev.machineoidc.bridge.files.FileAccess;
import dev.machineoidc.bridge.identity.Enroller;
import dev.machineoidc.bridge.identity.MachineIdentity;
import dev.machineoidc.bridge.identity.StateDir;
import dev.machineoidc.bridge.keycloak.KeycloakMinter;
import dev.machineoidc.bridge.keycloak.KeycloakRegistrar;
import dev.machineoidc.bridge.keycloak.KeycloakTransport;
import dev.machineoidc.bridge.keycloak.MintAssertion;
import dev.machineoidc.bridge.metrics.BridgeMetrics;
import dev.machineoidc.bridge.metrics.MetricsAddress;
import dev.machineoidc.bridge.metrics.MetricsServer;
import dev.machineoidc.bridge.mint.StoppableMinter;
import dev.machineoidc.bridge.peer.PeerGate;
import dev.machineoidc.bridge.peer.PeerPolicy;
import dev.machineoidc.bridge.socket.SocketServer;
import dev.machineoidc.bridge.status.BridgeStatus;
import dev.machineoidc.bridge.tokenfile.ExecutorScheduler;
import dev.machineoidc.bridge.tokenfile.GcpCredentialsFile;
import dev.machineoidc.bridge.tokenfile.TokenFileRefresher;
import dev.machineoidc.bridge.tokenfile.TokenFileState;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The whole daemon, wired in one place: identity (enrolling when given a new token), the Keycloak
 * client, the socket API (tokens and the status view), the token files and the optional metrics
 * server. {@link #start()} returns once the socket listens; {@link #stop()} answers what is in progress,
 * closes everything and removes the socket file. Usable in-process by tests.
 */
public final class Bridge {

    private static final Logger LOG = LoggerFactory.getLogger(Bridge.class);
    private static final Duration ENROLLMENT_TIMEOUT = Duration.ofSeconds(10);

    private final BridgeConfig config;
    private KeycloakTransport transport;
    private StoppableMinter minter;
    private SocketServer socket;
    private MetricsServer metricsServer;
    private ExecutorScheduler tokenFileScheduler;

    public Bridge(BridgeConfig config) {
        this.config = config;
    }

    /**
     * Establishes the machine identity (enrolling if the config carries an unconsumed enrollment
     * token), then listens on the socket.
     *
     * @throws dev.machineoidc.bridge.identity.EnrollmentException when the machine has no usable identity
     * @throws java.nio.file.FileAlreadyExistsException when another process holds the socket path
     */
    public synchronized void start() throws Exception {
        if (socket != null) {
            throw new IllegalStateException("already started");
        }
        long started = System.nanoTime();
        try {
            prepareTokenFiles();
            Clock clock = Clock.systemUTC();
            BridgeMetrics metrics = new BridgeMetrics();
            transport = KeycloakTransport.start(config.keycloakUrls(), config.connectTimeout(),
                    metrics.keycloakLatency());
            KeycloakRegistrar registrar = new KeycloakRegistrar(transport, config.org(), config.machineId(), ENROLLMENT_TIMEOUT);
            MachineIdentity identity = new Enroller(new StateDir(config.stateDir()), registrar, config.machineId())
                    .establish(config.enrollmentToken());
            MintAssertion assertion = new MintAssertion(config.org(), identity, clock);
            minter = new StoppableMinter(KeycloakMinter.create(transport, config.org(), assertion, config.mintTimeout()));
            List<TokenFileState> tokenFiles = config.tokenFiles().stream()
                    .map(file -> new TokenFileState(file.path(), file.audience(), clock.instant()))
                    .toList();
            BridgeStatus status = new BridgeStatus(config.machineId(), config.org(), transport::currentUrl,
                    assertion::expiresAt, tokenFiles);

            ErrorBody errorBody = new ErrorBody();
            PeerGate callers = new PeerGate(new PeerPolicy(config.allowedUsers(), config.allowedGroups()));
            SocketServer server = new SocketServer(config.socketPath(), config.socketMode(), config.acceptBacklog(),
                    new TokenServlet(minter, callers, config.machineId(), errorBody, metrics.requests()), errorBody);
            server.serve(StatusServlet.PATH, new StatusServlet(status, callers, config.machineId(), errorBody));
            // Kept only once started: stopping a server that never bound would delete another one's socket.
            server.start();
            socket = server;

            if (config.metricsAddress().isPresent()) {
                MetricsAddress address = config.metricsAddress().get();
                MetricsServer scrapes = new MetricsServer(address, () -> metrics.expose(status.snapshot()), errorBody);
                scrapes.start();
                metricsServer = scrapes;
                LOG.info("Serving metrics on {}", address);
            }
            if (!tokenFiles.isEmpty()) {
                tokenFileScheduler = new ExecutorScheduler(tokenFiles.size());
                for (int i = 0; i < tokenFiles.size(); i++) {
                    new TokenFileRefresher(minter, tokenFiles.get(i), config.tokenFiles().get(i).access(),
                            tokenFileScheduler, clock).start();
                }
            }
            LOG.info("Listening on {} for machine {} of org {} (started in {} ms)", config.socketPath(),
                    config.machineId(), config.org(), TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started));
        } catch (Exception e) {
            stop();
            throw e;
        }
    }

    /**
     * Before anything else (an enrollment consumes its token): a file the bridge cannot give its group is a setup
     * error to report now, not a refresh failure to retry for ever; the GCP configuration does not change, so it is
     * written once, here.
     */
    private void prepareTokenFiles() throws IOException {
        for (TokenFileSpec file : config.tokenFiles()) {
            if (file.access().group().isPresent()) {
                try {
                    AtomicFiles.checkWritable(file.path(), file.access());
                } catch (IOException e) {
                    throw new IOException("token file " + file.path() + ": " + e.getMessage(), e);
                }
            }
        }
        if (config.gcp().isPresent()) {
            GcpCredentials gcp = config.gcp().get();
            FileAccess access = config.tokenFiles().stream()
                    .filter(file -> file.path().equals(gcp.tokenFile()))
                    .findFirst().orElseThrow().access();
            try {
                GcpCredentialsFile.write(gcp, access);
            } catch (IOException e) {
                throw new IOException("cannot write the GCP credential configuration " + gcp.credentialsFile() + ": "
                        + e.getMessage(), e);
            }
            LOG.info("Wrote the GCP credential configuration {} for token file {}", gcp.credentialsFile(), gcp.tokenFile());
        }
    }

    /**
     * Stops accepting connections and answers every request in progress: with its token, or 503
     * {@code shutting_down} when it gets none within its time (at most {@link BridgeConfig#mintTimeout()}).
     * The token file is left as the last complete write. Idempotent; safe from a shutdown hook.
     */
    public synchronized void stop() {
        if (minter != null) {
            minter.stop();
            minter = null;
        }
        if (tokenFileScheduler != null) {
            tokenFileScheduler.close();
            tokenFileScheduler = null;
        }
        if (metricsServer != null) {
            stopQuietly("metrics server", metricsServer::stop);
            metricsServer = null;
        }
        if (socket != null) {
            stopQuietly("socket server", socket::stop);
            socket = null;
        }
        if (transport != null) {
            stopQuietly("Keycloak client", transport::close);
            transport = null;
        }
    }

    /** A part that fails to stop must not keep the others running. */
    private static void stopQuietly(String part, Stoppable stop) {
        try {
            stop.run();
        } catch (Exception e) {
            LOG.warn("Stopping the {} failed: {}", part, e.toString());
        }
    }

    @FunctionalInterface
    private interface Stoppable {
        void run() throws Exception;
    }

    public Path socketPath() {
        return config.socketPath();
    }
}
