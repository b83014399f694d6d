package dev.machineoidc.bench.setup;

import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import dev.machineoidc.bench.source.SocketMint;
import org.eclipse.jetty.client.ContentResponse;
import org.eclipse.jetty.client.HttpClient;
import org.eclipse.jetty.io.Transport;

/**
 * One bridge, started through its shipped launcher (and so with its shipped JVM options) for one machine, with
 * its own state directory and socket. The first start enrolls with a one-time token; later starts use the key.
 */
public final class BridgeProcess implements AutoCloseable {

    private static final Duration FIRST_TOKEN_TIMEOUT = Duration.ofSeconds(60);
    private static final Duration POLL = Duration.ofMillis(5);
    private static final Duration STOP_GRACE = Duration.ofSeconds(15);
    private static final Pattern VM_RSS = Pattern.compile("^VmRSS:\\s+(\\d+) kB$", Pattern.MULTILINE);

    private final Process process;
    private final Path socket;
    private final Duration startToFirstToken;
    private final Thread shutdownHook;

    private BridgeProcess(Process process, Path socket, Duration startToFirstToken) {
        this.process = process;
        this.socket = socket;
        this.startToFirstToken = startToFirstToken;
        // A benchmark stopped by Ctrl-C must not leave bridges behind: children outlive a JVM that exits.
        this.shutdownHook = new Thread(process::destroy, "bridge-" + process.pid() + "-shutdown");
        Runtime.getRuntime().addShutdownHook(shutdownHook);
    }

    /**
     * Starts the bridge and returns once it has served a token on its socket.
     * @param enrollmentToken the machine's one-time token for the first start, empty for a restart
     * @param http the client that asks for the first token on the bridge's socket {@code dir/api}
     */
    public static BridgeProcess start(Path launcher, URI keycloak, AdminCalls.NewMachine machine, Path dir,
                                      Optional<String> enrollmentToken, HttpClient http) throws Exception {
        Files.createDirectories(dir);
        Path socket = socket(dir);
        ProcessBuilder builder = new ProcessBuilder(List.of(launcher.toString(),
                "--keycloak-url", keycloak.toString(), "--org", machine.org(), "--machine-id", machine.machineId(),
                "--state-dir", dir.resolve("state").toString(), "--socket-path", socket.toString()))
                .redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(dir.resolve("bridge.log").toFile()));
        builder.environment().remove("MACHINE_OIDC_ENROLLMENT_TOKEN");
        enrollmentToken.ifPresent(token -> builder.environment().put("MACHINE_OIDC_ENROLLMENT_TOKEN", token));
        long started = System.nanoTime();
        Process process = builder.start();
        try {
            awaitFirstToken(process, http, dir);
        } catch (Exception e) {
            process.destroyForcibly();
            throw e;
        }
        return new BridgeProcess(process, socket, Duration.ofNanos(System.nanoTime() - started));
    }

    /** Where the bridge of {@code dir} listens. */
    public static Path socket(Path dir) {
        return dir.resolve("api").toAbsolutePath();
    }

    public Duration startToFirstToken() {
        return startToFirstToken;
    }

    public Path socket() {
        return socket;
    }

    /** The bridge JVM's resident memory now, in MiB (the launcher execs java, so its pid is the JVM's). */
    public double residentMiB() throws IOException {
        Matcher rss = VM_RSS.matcher(Files.readString(Path.of("/proc", Long.toString(process.pid()), "status")));
        if (!rss.find()) {
            throw new IOException("no VmRSS in /proc/" + process.pid() + "/status");
        }
        return Long.parseLong(rss.group(1)) / 1024.0;
    }

    /** User plus system CPU time the bridge has used so far. */
    public Duration cpuTime() {
        return process.info().totalCpuDuration().orElse(Duration.ZERO);
    }

    @Override
    public void close() throws InterruptedException {
        try {
            Runtime.getRuntime().removeShutdownHook(shutdownHook);
        } catch (IllegalStateException e) {
            // the JVM is shutting down: the hook ends the process
        }
        process.destroy();
        if (!process.waitFor(STOP_GRACE.toMillis(), TimeUnit.MILLISECONDS)) {
            process.destroyForcibly().waitFor();
        }
    }

    private static void awaitFirstToken(Process process, HttpClient http, Path dir) throws Exception {
        Transport socket = new Transport.TCPUnix(socket(dir));
        long deadline = System.nanoTime() + FIRST_TOKEN_TIMEOUT.toNanos();
        String last = "no answer";
        while (System.nanoTime() < deadline) {
            if (!process.isAlive()) {
                throw new IOException("the bridge exited with " + process.exitValue() + " before serving a token; see "
                        + dir.resolve("bridge.log"));
            }
            if (Files.exists(socket(dir))) {
                try {
                    ContentResponse answer = SocketMint.request(http, socket, "{}").timeout(5, TimeUnit.SECONDS).send();
                    if (answer.getStatus() == 200) {
                        return;
                    }
                    last = "HTTP " + answer.getStatus() + " " + answer.getContentAsString();
                } catch (ExecutionException e) {
                    last = String.valueOf(e.getCause());
                }
            }
            Thread.sleep(POLL.toMillis());
        }
        throw new IOException("the bridge served no token within " + FIRST_TOKEN_TIMEOUT.toSeconds() + " s (last: " + last
                + "); see " + dir.resolve("bridge.log"));
    }
}
