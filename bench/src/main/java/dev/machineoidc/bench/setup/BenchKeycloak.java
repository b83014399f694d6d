package dev.machineoidc.bench.setup;

import dev.machineoidc.arquillian.KeycloakContainerConfiguration;
import dev.machineoidc.arquillian.KeycloakServer;
import java.net.URI;
import java.net.http.HttpClient;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.stream.Stream;

/**
 * The one Keycloak of a benchmark run: the real distribution with this tree's provider and theme, built and
 * started the way the container tests do it, on its own ports and its own copy of the distribution.
 */
public final class BenchKeycloak implements AutoCloseable {

    private final KeycloakServer server;

    private BenchKeycloak(KeycloakServer server) {
        this.server = server;
    }

    /**
     * @param jvmOptions e.g. a heap large enough for a thousand realms; the same for both sides of the comparison
     */
    public static BenchKeycloak start(Path keycloakHome, Path workDir, List<Path> providerJars, int httpPort,
                                      int managementPort, String jvmOptions) throws Exception {
        KeycloakContainerConfiguration config = new KeycloakContainerConfiguration();
        config.setKeycloakHome(keycloakHome.toString());
        config.setServerDir(workDir.resolve("keycloak").toString());
        config.setLogFile(workDir.resolve("keycloak.log").toString());
        config.setHttpPort(httpPort);
        config.setManagementPort(managementPort);
        config.setFeatures("declarative-ui");
        // One node: the local caches a single server would use, without a cluster's discovery.
        config.setRuntimeOptions("--cache=local");
        config.setJvmOptions(jvmOptions);
        config.setStartupTimeoutSeconds(600);
        HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(Duration.ofSeconds(2)).build();
        KeycloakServer server = KeycloakServer.standalone("bench", config, providerJars, http);
        server.start();
        return new BenchKeycloak(server);
    }

    public KeycloakServer server() {
        return server;
    }

    public URI baseUrl() {
        return server.baseUrl();
    }

    /** User plus system CPU time Keycloak has used so far: kc.sh runs the JVM as its child, so the tree's. */
    public Duration cpuTime() {
        ProcessHandle kcSh = server.process()
                .orElseThrow(() -> new IllegalStateException("Keycloak is not running"));
        return Stream.concat(Stream.of(kcSh), kcSh.descendants())
                .map(process -> process.info().totalCpuDuration().orElse(Duration.ZERO))
                .reduce(Duration.ZERO, Duration::plus);
    }

    @Override
    public void close() throws Exception {
        server.stop();
    }
}
