package dev.machineoidc.testing;

import dev.machineoidc.arquillian.DirectoryTrees;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

/**
 * A real PostgreSQL (Debian's {@code postgresql} package) for one test class: a fresh cluster (initdb) in
 * {@code /tmp/machine-oidc-it-postgres-<port>}, listening on 127.0.0.1 only, with a database and a password user for
 * Keycloak. PostgreSQL refuses to run as root, so when the tests do, its programs run as the {@code postgres} OS user.
 * <p>
 * Register it before {@code ArquillianExtension}: Arquillian launches Keycloak in its own {@code beforeAll}, and JUnit
 * calls {@code beforeAll} callbacks in registration order ({@code afterAll} in reverse), so the database is up before
 * the first Keycloak starts and stops after the class is done. {@link #stopServer()} and {@link #startServer()} take it
 * down and up again in between, on the same data and port, for tests of a database outage.
 */
public final class PostgresExtension implements BeforeAllCallback, AfterAllCallback {

    /** Must match the {@code --db-*} options of the cluster containers in arquillian.xml. */
    public static final int PORT = Integer.getInteger("it.postgres.port", 5433);
    public static final String DATABASE = "keycloak";
    public static final String USER = "keycloak";
    public static final String PASSWORD = "keycloak-it";

    private static final Path BIN = Path.of(System.getProperty("it.postgres.bin", "/usr/lib/postgresql/15/bin"));
    private static final String OS_USER = "postgres";
    private static final Duration READY = Duration.ofSeconds(30);
    private static final Duration COMMAND = Duration.ofSeconds(60);
    private static final Duration READY_POLL = Duration.ofMillis(50);

    private static final Path DIR = Path.of(System.getProperty("java.io.tmpdir"), "machine-oidc-it-postgres-" + PORT);
    private static final Path DATA = DIR.resolve("data");
    private static final Path SERVER_LOG = DIR.resolve("postgres.log");

    private static volatile Instant readyAt;

    private final Path keptLog = Path.of(System.getProperty("project.build.directory", "target"), "keycloak-logs",
            "postgres-" + PORT + ".log").toAbsolutePath();

    /** When PostgreSQL first accepted connections in this JVM; null before. */
    public static Instant readyAt() {
        return readyAt;
    }

    @Override
    public void beforeAll(ExtensionContext context) throws Exception {
        if (!Files.isExecutable(BIN.resolve("postgres"))) {
            throw new IllegalStateException("No PostgreSQL server in " + BIN + ": install the Debian package postgresql "
                    + "(./run-tests.sh does), or point -Dit.postgres.bin at its bin directory");
        }
        endLeftover();
        requireFreePort();
        Files.createDirectories(DIR);
        if (runsAsRoot()) {
            run(List.of("chown", OS_USER + ":" + OS_USER, DIR.toString()));
        }
        run(asPostgres(BIN.resolve("initdb").toString(), "-D", DATA.toString(), "-U", OS_USER,
                "--auth-local=trust", "--auth-host=scram-sha-256", "-E", "UTF8", "--locale=C.UTF-8"));
        startServer();
        run(asPostgres(BIN.resolve("psql").toString(), "-h", DIR.toString(), "-p", Integer.toString(PORT), "-U", OS_USER,
                "-d", "postgres", "-v", "ON_ERROR_STOP=1",
                "-c", "CREATE ROLE " + USER + " LOGIN PASSWORD '" + PASSWORD + "'",
                "-c", "CREATE DATABASE " + DATABASE + " OWNER " + USER));
        readyAt = Instant.now();
    }

    @Override
    public void afterAll(ExtensionContext context) throws Exception {
        try {
            if (Files.exists(DATA.resolve("postmaster.pid"))) {
                stopServer();
            }
        } finally {
            keepLog();
            DirectoryTrees.delete(DIR);
        }
    }

    /**
     * Stops the server as an operator's restart would ({@code pg_ctl stop -m fast}: open sessions are ended, the data
     * is kept); returns once it no longer accepts connections.
     */
    public static void stopServer() throws IOException {
        run(asPostgres(BIN.resolve("pg_ctl").toString(), "-D", DATA.toString(), "stop", "-m", "fast", "-t", "60"));
    }

    /** Starts the server on its data directory and port; returns once it accepts connections on 127.0.0.1. */
    public static void startServer() throws IOException {
        // -W: no waiting here; readiness is polled below with pg_isready, over TCP as Keycloak connects.
        run(asPostgres(BIN.resolve("pg_ctl").toString(), "-D", DATA.toString(), "-l", SERVER_LOG.toString(), "-W",
                "-o", "-p " + PORT + " -c listen_addresses=127.0.0.1 -k " + DIR + " -c max_connections=200", "start"));
        awaitReady();
    }

    /** Runs SQL as the Keycloak user over TCP (as Keycloak connects) and returns psql's unaligned, tuples-only output. */
    public static String query(String sql) {
        try {
            return run(List.of(BIN.resolve("psql").toString(), "-h", "127.0.0.1", "-p", Integer.toString(PORT),
                    "-U", USER, "-d", DATABASE, "-v", "ON_ERROR_STOP=1", "-tA", "-c", sql), "PGPASSWORD=" + PASSWORD).trim();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static void awaitReady() throws IOException {
        List<String> isReady = List.of(BIN.resolve("pg_isready").toString(), "-h", "127.0.0.1", "-p", Integer.toString(PORT),
                "-d", "postgres", "-t", "2");
        long deadline = System.nanoTime() + READY.toNanos();
        while (waitFor(new ProcessBuilder(isReady).redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.DISCARD).start(), COMMAND) != 0) {
            if (System.nanoTime() - deadline > 0) {
                throw new IllegalStateException("PostgreSQL was not accepting connections on 127.0.0.1:" + PORT
                        + " within " + READY.toSeconds() + " s; its log:\n" + tail(SERVER_LOG));
            }
            LockSupport.parkNanos(READY_POLL.toNanos());
        }
    }

    /** A server an earlier, killed run left in this directory holds the port and the data: end it, start afresh. */
    private void endLeftover() throws IOException {
        if (Files.exists(DATA.resolve("postmaster.pid"))) {
            try {
                run(asPostgres(BIN.resolve("pg_ctl").toString(), "-D", DATA.toString(), "stop", "-m", "immediate", "-t", "60"));
            } catch (IOException e) {
                // a stale pid file whose server is gone: nothing to stop
            }
        }
        DirectoryTrees.delete(DIR);
    }

    private static void requireFreePort() {
        try (ServerSocket socket = new ServerSocket()) {
            socket.bind(new InetSocketAddress("127.0.0.1", PORT));
        } catch (IOException e) {
            throw new IllegalStateException("Port " + PORT + " for the test PostgreSQL is in use (find the process with "
                    + "`ss -ltnp`), or choose another with -Dit.postgres.port", e);
        }
    }

    private static boolean runsAsRoot() {
        return "root".equals(System.getProperty("user.name"));
    }

    private static List<String> asPostgres(String... command) {
        List<String> line = new ArrayList<>();
        if (runsAsRoot()) {
            line.addAll(List.of("runuser", "-u", OS_USER, "--"));
        }
        line.addAll(Arrays.asList(command));
        return line;
    }

    private static String run(List<String> command, String... environment) throws IOException {
        // Output goes to a file, not a pipe: pg_ctl start leaves the server holding the descriptors it inherited.
        Path output = Files.createTempFile("machine-oidc-it-postgres", ".out");
        try {
            ProcessBuilder builder = new ProcessBuilder(command).directory(Path.of("/").toFile())
                    .redirectErrorStream(true).redirectOutput(output.toFile());
            for (String variable : environment) {
                int equals = variable.indexOf('=');
                builder.environment().put(variable.substring(0, equals), variable.substring(equals + 1));
            }
            Process process = builder.start();
            process.getOutputStream().close();
            int exit = waitFor(process, COMMAND);
            String text = Files.readString(output, StandardCharsets.UTF_8);
            if (exit != 0) {
                throw new IOException(String.join(" ", command) + " exited with " + exit + ":\n" + text);
            }
            return text;
        } finally {
            Files.deleteIfExists(output);
        }
    }

    private static int waitFor(Process process, Duration timeout) throws IOException {
        try {
            if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
                process.destroyForcibly();
                throw new IOException("timed out after " + timeout.toSeconds() + " s: " + process.info().commandLine().orElse("?"));
            }
            return process.exitValue();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted", e);
        }
    }

    private void keepLog() {
        try {
            if (Files.exists(SERVER_LOG)) {
                Files.createDirectories(keptLog.getParent());
                Files.copy(SERVER_LOG, keptLog, StandardCopyOption.REPLACE_EXISTING);
            }
        } catch (IOException e) {
            // diagnostics only
        }
    }

    private static String tail(Path log) {
        try {
            List<String> lines = Files.readAllLines(log);
            return String.join("\n", lines.subList(Math.max(0, lines.size() - 40), lines.size()));
        } catch (IOException e) {
            return "(no log: " + e + ")";
        }
    }
}
