package dev.machineoidc.bench;

import dev.machineoidc.bench.setup.AdminCalls;
import dev.machineoidc.bench.setup.BridgeProcess;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.eclipse.jetty.client.HttpClient;

/** The bridges of a run; closing stops them all. */
final class Bridges implements AutoCloseable {

    private final Path launcher;
    private final URI keycloak;
    private final Path workDir;
    private final HttpClient http;
    private final List<BridgeProcess> running = new ArrayList<>();

    Bridges(Path launcher, URI keycloak, Path workDir, HttpClient http) {
        this.launcher = launcher;
        this.keycloak = keycloak;
        this.workDir = workDir;
        this.http = http;
    }

    /** Starts a bridge for the machine in {@code bridges/<name>}; enrolls when given a token. */
    synchronized BridgeProcess start(String name, AdminCalls.NewMachine machine, Optional<String> enrollmentToken) throws Exception {
        BridgeProcess bridge = BridgeProcess.start(launcher, keycloak, machine, workDir.resolve("bridges").resolve(name),
                enrollmentToken, http);
        running.add(bridge);
        return bridge;
    }

    synchronized void stop(BridgeProcess bridge) throws InterruptedException {
        running.remove(bridge);
        bridge.close();
    }

    /** The CPU all running bridges have used. */
    synchronized Duration cpuTime() {
        return running.stream().map(BridgeProcess::cpuTime).reduce(Duration.ZERO, Duration::plus);
    }

    @Override
    public synchronized void close() throws Exception {
        for (BridgeProcess bridge : List.copyOf(running)) {
            stop(bridge);
        }
    }
}
