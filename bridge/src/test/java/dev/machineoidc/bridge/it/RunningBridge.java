package dev.machineoidc.bridge.it;

import dev.machineoidc.bridge.Bridge;
import dev.machineoidc.bridge.config.BridgeConfig;
import dev.machineoidc.bridge.testing.UnixHttpClient;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.UnaryOperator;
import org.eclipse.jetty.client.ContentResponse;
import org.eclipse.jetty.client.Request;

/**
 * The real bridge daemon, in-process, for one provisioned machine: its socket in a fresh directory under
 * {@code java.io.tmpdir} (short path, mode 0755 so other users can reach the socket when its own mode lets
 * them), its state directory and files under {@code target/bridge-it}.
 */
final class RunningBridge implements AutoCloseable {

    private static final AtomicInteger STARTED = new AtomicInteger();

    private final Bridge bridge;
    private final Path socketDir;
    private final Path workDir;
    private final Path stateDir;
    private final UnixHttpClient client;

    private RunningBridge(Bridge bridge, Path socketDir, Path workDir, Path stateDir) throws Exception {
        this.bridge = bridge;
        this.socketDir = socketDir;
        this.workDir = workDir;
        this.stateDir = stateDir;
        this.client = new UnixHttpClient(bridge.socketPath());
    }

    /** A work directory of its own under {@code target/bridge-it}, e.g. for the state or a token file. */
    static Path newWorkDir(Machine machine) throws Exception {
        Path dir = Path.of(System.getProperty("project.build.directory", "target"), "bridge-it",
                machine.id() + "-" + STARTED.incrementAndGet()).toAbsolutePath();
        return Files.createDirectories(dir);
    }

    /** Enrolls with the machine's token and listens; {@code options} may change anything but the basics. */
    static RunningBridge start(URI keycloak, Machine machine, UnaryOperator<BridgeConfig.Builder> options)
            throws Exception {
        Path workDir = newWorkDir(machine);
        return start(keycloak, machine, workDir, workDir.resolve("state"), options);
    }

    /**
     * @param stateDir where the identity is kept; a bridge started again on an enrolled state dir with the same
     *     enrollment token does not enroll again (the token is single use)
     */
    static RunningBridge start(URI keycloak, Machine machine, Path workDir, Path stateDir,
                               UnaryOperator<BridgeConfig.Builder> options) throws Exception {
        Path socketDir = Files.createTempDirectory("bridge-it-");
        Files.setPosixFilePermissions(socketDir, PosixFilePermissions.fromString("rwxr-xr-x"));
        BridgeConfig config = options.apply(BridgeConfig.builder()
                        .keycloakUrls(List.of(keycloak))
                        .org(machine.org())
                        .machineId(machine.id())
                        .stateDir(stateDir)
                        .socketPath(socketDir.resolve("api"))
                        .enrollmentToken(machine.enrollmentToken()))
                .build();
        Bridge bridge = new Bridge(config);
        try {
            bridge.start();
        } catch (Exception e) {
            Files.deleteIfExists(socketDir);
            throw e;
        }
        return new RunningBridge(bridge, socketDir, workDir, stateDir);
    }

    Path socket() {
        return bridge.socketPath();
    }

    Path workDir() {
        return workDir;
    }

    Path stateDir() {
        return stateDir;
    }

    /** {@code POST /v1/tokens/oidc} with a JSON body, or none when {@code json} is null. */
    ContentResponse mint(String json) throws Exception {
        return client.post("/v1/tokens/oidc", json);
    }

    ContentResponse send(String method, String path, Request.Content body) throws Exception {
        return client.send(method, path, body);
    }

    Request newRequest(String method, String path) {
        return client.newRequest(method, path);
    }

    @Override
    public void close() throws Exception {
        try {
            client.close();
        } finally {
            bridge.stop();
            Files.deleteIfExists(socketDir);
        }
    }
}
