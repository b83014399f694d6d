package dev.machineoidc.bridge;

import dev.machineoidc.bridge.api.ErrorBody;
import dev.machineoidc.bridge.api.TokenServlet;
import dev.machineoidc.bridge.config.BridgeConfig;
import dev.machineoidc.bridge.identity.Enroller;
import dev.machineoidc.bridge.identity.MachineIdentity;
import dev.machineoidc.bridge.identity.StateDir;
import dev.machineoidc.bridge.keycloak.KeycloakMinter;
import dev.machineoidc.bridge.keycloak.KeycloakRegistrar;
import dev.machineoidc.bridge.keycloak.KeycloakTransport;
import dev.machineoidc.bridge.mint.StoppableMinter;
import dev.machineoidc.bridge.peer.PeerGate;
import dev.machineoidc.bridge.peer.PeerPolicy;
import dev.machineoidc.bridge.socket.SocketServer;
import dev.machineoidc.bridge.tokenfile.ExecutorScheduler;
import dev.machineoidc.bridge.tokenfile.TokenFileRefresher;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The whole daemon, wired in one place: identity (enrolling when given a new token), the Keycloak
 * client, the socket API and the optional token file. {@link #start()} returns once the socket
 * listens; {@link #stop()} answers what is in progress, closes everything and removes the socket file.
 * Usable in-process by tests.
 */
public final class Bridge {

    private static final Logger LOG = LoggerFactory.getLogger(Bridge.class);
    private static final Duration ENROLLMENT_TIMEOUT = Duration.ofSeconds(10);

    private final BridgeConfig config;
    private KeycloakTransport transport;
    private StoppableMinter minter;
    private SocketServer socket;
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
            transport = KeycloakTransport.start(config.keycloakUrls(), config.connectTimeout());
            KeycloakRegistrar registrar = new KeycloakRegistrar(transport, config.org(), config.machineId(), ENROLLMENT_TIMEOUT);
            MachineIdentity identity = new Enroller(new StateDir(config.stateDir()), registrar, config.machineId())
                    .establish(config.enrollmentToken());
            minter = new StoppableMinter(KeycloakMinter.create(transport, config.org(), identity, config.mintTimeout(),
                    Clock.systemUTC()));

            ErrorBody errorBody = new ErrorBody();
            PeerGate callers = new PeerGate(new PeerPolicy(config.allowedUsers(), config.allowedGroups()));
            SocketServer server = new SocketServer(config.socketPath(), config.socketMode(), config.acceptBacklog(),
                    new TokenServlet(minter, callers, config.machineId(), errorBody), errorBody);
            // Kept only once started: stopping a server that never bound would delete another one's socket.
            server.start();
            socket = server;

            config.tokenFile().ifPresent(file -> {
                tokenFileScheduler = new ExecutorScheduler();
                new TokenFileRefresher(minter, config.tokenFileAudience(), file, tokenFileScheduler).start();
            });
            LOG.info("Listening on {} for machine {} of org {} (started in {} ms)", config.socketPath(),
                    config.machineId(), config.org(), TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started));
        } catch (Exception e) {
            stop();
            throw e;
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
        if (socket != null) {
            try {
                socket.stop();
            } catch (Exception e) {
                LOG.warn("Stopping the socket server failed: {}", e.toString());
            }
            socket = null;
        }
        if (transport != null) {
            try {
                transport.close();
            } catch (Exception e) {
                LOG.warn("Stopping the Keycloak client failed: {}", e.toString());
            }
            transport = null;
        }
    }

    public Path socketPath() {
        return config.socketPath();
    }
}
