package dev.machineoidc.bench.setup;

import dev.machineoidc.arquillian.KeycloakContainerConfiguration;
import dev.machineoidc.arquillian.KeycloakServer;
import java.net.URI;
import java.net.http.HttpClient;
import java.nio.file.Path;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.List;
import java.util.stream.Stream;

/**
 * The one Keycloak of a benchmark run: the real distribution with this tree's provider and theme, built and
 * started the way the container tests do it, on its own ports and its own copy of the distribution; plain HTTP,
 * and HTTPS for the fleet's TLS connections.
 */
public final class BenchKeycloak implements AutoCloseable {

    private final KeycloakServer server;
    private final int httpsPort;
    private final X509Certificate certificate;

    private BenchKeycloak(KeycloakServer server, int httpsPort, X509Certificate certificate) {
        this.server = server;
        this.httpsPort = httpsPort;
        this.certificate = certificate;
    }

    /**
     * @param httpsPort where it also serves HTTPS, with a certificate made for this run
     * @param jvmOptions e.g. a heap large enough for a thousand realms; the same for both sides of the comparison
     */
    public static BenchKeycloak start(Path keycloakHome, Path workDir, List<Path> providerJars, int httpPort, int httpsPort,
                                      int managementPort, String jvmOptions) throws Exception {
        BenchCertificate certificate = BenchCertificate.create(workDir.resolve("tls"));
        KeycloakContainerConfiguration config = new KeycloakContainerConfiguration();
        config.setKeycloakHome(keycloakHome.toString());
        config.setServerDir(workDir.resolve("keycloak").toString());
        config.setLogFile(workDir.resolve("keycloak.log").toString());
        config.setHttpPort(httpPort);
        config.setManagementPort(managementPort);
        config.setFeatures("declarative-ui");
        // One node: the local caches a single server would use, without a cluster's discovery. HTTPS would also move
        // the management interface (health, metrics) to HTTPS, where the readiness check does not look: it stays HTTP.
        config.setRuntimeOptions("--cache=local " + String.join(" ", certificate.keycloakOptions(httpsPort))
                + " --http-management-scheme=http");
        config.setJvmOptions(jvmOptions);
        config.setStartupTimeoutSeconds(600);
        HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(Duration.ofSeconds(2)).build();
        KeycloakServer server = KeycloakServer.standalone("bench", config, providerJars, http);
        server.start();
        return new BenchKeycloak(server, httpsPort, certificate.certificate());
    }

    public KeycloakServer server() {
        return server;
    }

    public URI baseUrl() {
        return server.baseUrl();
    }

    /** {@code https://127.0.0.1:<httpsPort>}: the same server over TLS. */
    public URI httpsUrl() {
        return URI.create("https://127.0.0.1:" + httpsPort);
    }

    /** The self-signed certificate it serves HTTPS with: what a client of {@link #httpsUrl()} must trust. */
    public X509Certificate certificate() {
        return certificate;
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
