package dev.machineoidc.arquillian;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

import org.jboss.arquillian.container.spi.client.container.LifecycleException;
import org.jboss.shrinkwrap.api.ShrinkWrap;
import org.jboss.shrinkwrap.api.spec.JavaArchive;

/**
 * The running Keycloak as a test sees it, injected with {@code @ArquillianResource KeycloakServer server}.
 * {@link #stop()}, {@link #kill()}, {@link #start()} and {@link #restart()} are for tests about outages; the database survives
 * them, and the container keeps the server it ends up with for the rest of the suite.
 */
public final class KeycloakServer {

    private final ManagedKeycloak keycloak;
    private final KeycloakContainerConfiguration config;
    private final AdminClient admin;

    KeycloakServer(ManagedKeycloak keycloak, KeycloakContainerConfiguration config, HttpClient http) {
        this.keycloak = keycloak;
        this.config = config;
        this.admin = new AdminClient(http, baseUrl(), config.getAdminUser(), config.getAdminPassword());
    }

    /**
     * A server outside Arquillian (the benchmark) with these provider jars, prepared as a suite start prepares
     * one (left-over processes ended, data wiped unless {@code cleanData} is off); {@link #start()} launches it.
     */
    public static KeycloakServer standalone(String qualifier, KeycloakContainerConfiguration config, List<Path> providerJars,
                                            HttpClient http) throws LifecycleException {
        config.validate();
        ManagedKeycloak keycloak = new ManagedKeycloak(qualifier, config, http);
        keycloak.prepare();
        for (Path jar : providerJars) {
            keycloak.add(ShrinkWrap.createFromZipFile(JavaArchive.class, jar.toFile()));
        }
        return new KeycloakServer(keycloak, config, http);
    }

    /** The running server's process (the JVM that kc.sh became), e.g. to read its CPU time. */
    public Optional<ProcessHandle> process() {
        return keycloak.process();
    }

    /** {@code http://127.0.0.1:<httpPort>}: realms live under {@code /realms}, the admin API under {@code /admin}. */
    public URI baseUrl() {
        return URI.create("http://127.0.0.1:" + config.getHttpPort());
    }

    /** {@code http://127.0.0.1:<managementPort>}: {@code /health}, {@code /metrics}. */
    public URI managementUrl() {
        return keycloak.managementUrl();
    }

    public String adminUser() {
        return config.getAdminUser();
    }

    public String adminPassword() {
        return config.getAdminPassword();
    }

    /** Everything the builds and starts of this container printed, since the suite began. */
    public Path logFile() {
        return keycloak.logFile();
    }

    public AdminClient admin() {
        return admin;
    }

    public String adminAccessToken() throws IOException, InterruptedException {
        return admin.accessToken();
    }

    public boolean isRunning() {
        return keycloak.isRunning();
    }

    /** Launches the server with the currently deployed providers, unless it already runs with them. */
    public void start() throws LifecycleException {
        keycloak.ensureRunning();
    }

    /** Ends the server and waits until its ports are free. */
    public void stop() throws LifecycleException {
        keycloak.stop();
    }

    /**
     * {@code kill -9} of the server (kc.sh and its JVM), as a crash: no shutdown, no leaving the cluster, requests
     * in flight cut off. Returns once the processes are gone and the ports are free; {@link #start()} launches it again.
     */
    public void kill() throws LifecycleException {
        keycloak.kill();
    }

    /**
     * {@code kc.sh export} of {@code realm} (with its users and keys) into {@code file}, against the stopped
     * server's database ({@link #stop()} first: the embedded database allows one process at a time).
     */
    public Path exportRealm(String realm, Path file) throws LifecycleException {
        keycloak.runOffline(keycloak.commands().exportRealm(realm, file.toAbsolutePath()), offlineTimeout());
        return file;
    }

    /**
     * {@code kc.sh import} of a realm file into the stopped server's database; {@link #start()} then serves it.
     * A realm that exists already is kept as it is.
     */
    public void importRealm(Path file) throws LifecycleException {
        keycloak.runOffline(keycloak.commands().importRealm(file.toAbsolutePath()), offlineTimeout());
    }

    private Duration offlineTimeout() {
        return Duration.ofSeconds(config.getStartupTimeoutSeconds());
    }

    public void restart() throws LifecycleException {
        keycloak.stop();
        keycloak.ensureRunning();
    }
}
