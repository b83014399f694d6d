package dev.machineoidc.arquillian;

import java.io.IOException;
import java.lang.System.Logger.Level;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

import org.jboss.arquillian.container.spi.client.container.LifecycleException;
import org.jboss.shrinkwrap.api.Archive;

/**
 * The Keycloak server of one container configuration: launched lazily, reused while the provider jars the
 * tests want are the ones it was launched with, relaunched when they differ.
 */
final class ManagedKeycloak {

    private static final System.Logger LOG = System.getLogger(ManagedKeycloak.class.getName());
    private static final int LOG_TAIL_LINES = 60;
    private static final Duration STOP_GRACE = Duration.ofSeconds(30);
    private static final Duration PORTS_RELEASED = Duration.ofSeconds(30);
    private static final Duration READY_POLL = Duration.ofMillis(500);
    private static final Duration READY_REQUEST_TIMEOUT = Duration.ofSeconds(2);

    private final String qualifier;
    private final KeycloakContainerConfiguration config;
    private final ServerCopy serverCopy;
    private final KcCommands commands;
    private final Path logFile;
    private final HttpClient http;
    private final ChildProcessLauncher launcher;
    private final LeftoverProcesses leftovers;
    private final BuildStamp buildStamp;
    private final ProviderSet providers = new ProviderSet();

    private KeycloakProcess running;
    private String runningProviders;

    ManagedKeycloak(String qualifier, KeycloakContainerConfiguration config, HttpClient http) {
        this.qualifier = qualifier;
        this.config = config;
        Path serverDir = config.serverDir(qualifier);
        this.serverCopy = new ServerCopy(Path.of(config.getKeycloakHome()).toAbsolutePath().normalize(), serverDir);
        this.commands = new KcCommands(config, qualifier, serverDir);
        this.logFile = config.logFile(qualifier);
        this.http = http;
        this.launcher = new ChildProcessLauncher(commands.home(), commands.environment(System.getenv()), logFile);
        this.leftovers = new LeftoverProcesses(logFile.resolveSibling(qualifier + ".pid"), commands.marker());
        this.buildStamp = new BuildStamp(commands.home());
    }

    Path logFile() {
        return logFile;
    }

    URI managementUrl() {
        return URI.create("http://127.0.0.1:" + config.getManagementPort());
    }

    /** Suite start: ends servers a killed earlier run left behind, and starts from a clean database and log. */
    synchronized void prepare() throws LifecycleException {
        try {
            List<Long> ended = leftovers.endAll(STOP_GRACE);
            if (!ended.isEmpty()) {
                LOG.log(Level.WARNING, "Ended Keycloak processes {0} left over from an earlier run of container {1}",
                        ended, qualifier);
            }
            if (config.isCleanData()) {
                DirectoryTrees.delete(commands.home().resolve("data"));
            }
            Files.createDirectories(logFile.getParent());
            Files.write(logFile, new byte[0]);
        } catch (IOException e) {
            throw new LifecycleException("Cannot prepare Keycloak for container " + qualifier + ": " + e, e);
        }
    }

    synchronized void deploy(Archive<?> archive) throws LifecycleException {
        add(archive);
        ensureRunning();
    }

    /** Takes the archive into the provider set without launching; the next launch has it. */
    synchronized void add(Archive<?> archive) {
        providers.add(archive);
    }

    /** Forgets the archive; the server keeps running with it until a launch is needed for another reason. */
    synchronized void undeploy(String archiveName) {
        providers.remove(archiveName);
    }

    synchronized Optional<ProcessHandle> process() {
        return isRunning() ? Optional.of(running.handle()) : Optional.empty();
    }

    synchronized boolean isRunning() {
        return running != null && running.isAlive();
    }

    synchronized void ensureRunning() throws LifecycleException {
        String wanted = providers.fingerprint();
        if (isRunning() && wanted.equals(runningProviders)) {
            return;
        }
        stop();
        launch(wanted);
    }

    synchronized void stop() throws LifecycleException {
        if (running == null) {
            return;
        }
        KeycloakProcess process = running;
        running = null;
        runningProviders = null;
        if (!process.destroy(STOP_GRACE)) {
            throw new LifecycleException("Keycloak (pid " + process.handle().pid() + ") survived SIGTERM and SIGKILL");
        }
        awaitReleased();
    }

    /** SIGKILL, as a crash: Keycloak neither leaves its cluster nor finishes a request; {@link #ensureRunning} relaunches. */
    synchronized void kill() throws LifecycleException {
        if (!isRunning()) {
            throw new LifecycleException("Keycloak container " + qualifier + " is not running: nothing to kill");
        }
        KeycloakProcess process = running;
        running = null;
        runningProviders = null;
        if (!process.kill()) {
            throw new LifecycleException("Keycloak (pid " + process.handle().pid() + ") survived SIGKILL");
        }
        awaitReleased();
    }

    /** After the process ended: its pid file goes, and its ports are free for the next launch. */
    private void awaitReleased() throws LifecycleException {
        try {
            leftovers.forget();
            if (!Ports.awaitFree(ports(), Deadline.after(PORTS_RELEASED))) {
                throw new LifecycleException("Keycloak stopped but ports " + Ports.taken(ports()) + " are still in use "
                        + PORTS_RELEASED.toSeconds() + " s later");
            }
        } catch (IOException e) {
            throw new LifecycleException("Cannot remove " + leftovers.pidFile() + ": " + e, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new LifecycleException("Interrupted while waiting for Keycloak's ports to be released", e);
        }
    }

    /**
     * Runs a kc.sh command that needs the server stopped (export, import) in the container's distribution, built
     * first if it never was, output appended to the container's log. Fails unless it exits 0 in time.
     */
    synchronized void runOffline(List<String> command, Duration timeout) throws LifecycleException {
        if (isRunning()) {
            throw new LifecycleException("Keycloak container " + qualifier + " is running: stop it before "
                    + "kc.sh " + command.get(1));
        }
        try {
            serverCopy.refresh();
        } catch (IOException e) {
            throw failure("Cannot copy the distribution " + config.getKeycloakHome() + " to " + commands.home() + ": " + e, e);
        }
        build(providers.fingerprint());
        try {
            Process process = launcher.start(command);
            if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
                ProcessTree.destroy(process.toHandle(), STOP_GRACE);
                throw failure(command.get(1) + " did not finish within " + timeout.toSeconds() + " s", null);
            }
            if (process.exitValue() != 0) {
                throw failure("kc.sh " + command.get(1) + " failed with exit code " + process.exitValue(), null);
            }
        } catch (IOException e) {
            throw failure("Cannot run " + command + ": " + e, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw failure("Interrupted during kc.sh " + command.get(1), e);
        }
    }

    KcCommands commands() {
        return commands;
    }

    private void launch(String providersFingerprint) throws LifecycleException {
        List<Integer> taken = Ports.taken(ports());
        if (!taken.isEmpty()) {
            throw new LifecycleException("Port(s) " + taken + " needed by Keycloak container " + qualifier
                    + " are already in use by another process (find it with `ss -ltnp`), or change httpPort/"
                    + "managementPort in arquillian.xml");
        }
        long started = System.nanoTime();
        try {
            serverCopy.refresh();
        } catch (IOException e) {
            throw failure("Cannot copy the distribution " + config.getKeycloakHome() + " to " + commands.home() + ": " + e, e);
        }
        build(providersFingerprint);
        try {
            running = new KeycloakProcess(launcher.start(commands.start()), STOP_GRACE);
            leftovers.record(running.handle());
        } catch (IOException e) {
            abandon();
            throw failure("Cannot start " + commands.start() + ": " + e, e);
        }
        awaitReady();
        runningProviders = providersFingerprint;
        LOG.log(Level.INFO, "Keycloak container {0} ready at http://127.0.0.1:{1,number,#} after {2} s (log: {3})",
                qualifier, config.getHttpPort(), Duration.ofNanos(System.nanoTime() - started).toSeconds(), logFile);
    }

    /** Runs {@code kc.sh build} unless the distribution was last built with these options and providers. */
    private void build(String providersFingerprint) throws LifecycleException {
        List<String> command = commands.build();
        String fingerprint = BuildStamp.fingerprint(command, providersFingerprint);
        Duration timeout = Duration.ofSeconds(config.getStartupTimeoutSeconds());
        try {
            if (buildStamp.matches(fingerprint)) {
                return;
            }
            buildStamp.clear();
            providers.writeTo(commands.home().resolve("providers"));
            Process build = launcher.start(command);
            if (!build.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
                ProcessTree.destroy(build.toHandle(), STOP_GRACE);
                throw failure("kc.sh build did not finish within " + timeout.toSeconds() + " s", null);
            }
            if (build.exitValue() != 0) {
                throw failure("kc.sh build failed with exit code " + build.exitValue(), null);
            }
            buildStamp.record(fingerprint);
        } catch (IOException e) {
            throw failure("Cannot run kc.sh build: " + e, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw failure("Interrupted during kc.sh build", e);
        }
    }

    /** Polls the management interface's readiness check until it answers 200, the process dies, or time runs out. */
    private void awaitReady() throws LifecycleException {
        Duration timeout = Duration.ofSeconds(config.getStartupTimeoutSeconds());
        Deadline deadline = Deadline.after(timeout);
        HttpRequest ready = HttpRequest.newBuilder(managementUrl().resolve("/health/ready"))
                .timeout(READY_REQUEST_TIMEOUT).GET().build();
        try {
            while (true) {
                if (!running.isAlive()) {
                    int exitValue = running.exitValue();
                    abandon();
                    throw failure("Keycloak exited with code " + exitValue + " before it was ready", null);
                }
                if (answersOk(ready)) {
                    return;
                }
                if (deadline.expired()) {
                    abandon();
                    throw failure("Keycloak was not ready within " + timeout.toSeconds() + " s", null);
                }
                running.awaitExit(READY_POLL);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            abandon();
            throw failure("Interrupted while waiting for Keycloak to be ready", e);
        }
    }

    private boolean answersOk(HttpRequest request) throws InterruptedException {
        try {
            return http.send(request, HttpResponse.BodyHandlers.discarding()).statusCode() == 200;
        } catch (IOException e) {
            return false; // not listening yet
        }
    }

    /** Ends a launch that failed, so that nothing keeps the ports. */
    private void abandon() {
        if (running != null) {
            running.destroy(STOP_GRACE);
            running = null;
        }
        runningProviders = null;
    }

    private LifecycleException failure(String message, Throwable cause) {
        return new LifecycleException(message + " (container " + qualifier + ")\nLast " + LOG_TAIL_LINES + " lines of "
                + logFile + ":\n" + LogTail.lastLines(logFile, LOG_TAIL_LINES), cause);
    }

    private List<Integer> ports() {
        return List.of(config.getHttpPort(), config.getManagementPort());
    }
}
