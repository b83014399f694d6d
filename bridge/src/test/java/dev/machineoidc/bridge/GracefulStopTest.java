package dev.machineoidc.bridge;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.everyItem;
import static org.hamcrest.Matchers.is;
import static org.hamcrest.Matchers.lessThan;
import static org.hamcrest.Matchers.matchesPattern;

import dev.machineoidc.bridge.testing.Await;
import dev.machineoidc.bridge.testing.FakeKeycloak;
import dev.machineoidc.bridge.testing.RawConnection;
import dev.machineoidc.bridge.testing.RawResponse;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * SIGTERM to a real bridge process while its callers wait on Keycloak (a fake one whose mint answers are held
 * back): every caller gets an answer, the process exits 0 within a bound, the socket file is gone and the token
 * file is whole.
 */
@Timeout(120)
class GracefulStopTest {

    private static final String ORG = "acme";
    private static final String MACHINE = "148e21ea7e46e8";
    private static final String MINT = "POST /v1/tokens/oidc HTTP/1.1\r\nHost: localhost\r\nContent-Length: 2\r\n\r\n{}";
    private static final int CALLERS = 8;
    /** Calls the bridge sends to Keycloak at once; its other callers queue. */
    private static final int HELD = 2;
    /** The stop's own bound (1.8 s per request, 2 s for the server) plus a JVM's exit, with room for a busy machine. */
    private static final Duration EXIT_BOUND = Duration.ofSeconds(6);

    @TempDir
    Path dir;

    private FakeKeycloak keycloak;
    private Process bridge;
    private final ExecutorService callers = Executors.newCachedThreadPool();

    /** Whatever a failed test left running. */
    @AfterEach
    void cleanUp() {
        callers.shutdownNow();
        Optional.ofNullable(bridge).ifPresent(Process::destroyForcibly);
        Optional.ofNullable(keycloak).ifPresent(FakeKeycloak::close);
    }

    private Path socket() {
        return dir.resolve("fly/api");
    }

    private Path tokenFile() {
        return dir.resolve("fly/oidc_token");
    }

    private void startBridge() throws Exception {
        keycloak = FakeKeycloak.start(ORG, MACHINE);
        List<String> command = List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp", System.getProperty("java.class.path"), Main.class.getName(),
                "--keycloak-url", keycloak.baseUrl().toString(), "--org", ORG, "--machine-id", MACHINE,
                "--state-dir", dir.resolve("state").toString(), "--socket-path", socket().toString(),
                "--token-file", tokenFile().toString());
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true)
                .redirectOutput(dir.resolve("bridge.log").toFile());
        builder.environment().put("MACHINE_OIDC_ENROLLMENT_TOKEN", FakeKeycloak.ENROLLMENT_TOKEN);
        bridge = builder.start();
        Await.until(Duration.ofSeconds(30), Duration.ofMillis(50), () -> mintsOnce() == 200, "the bridge to serve");
        Await.until(Duration.ofSeconds(10), () -> Files.exists(tokenFile()), "the token file");
    }

    private int mintsOnce() {
        if (!bridge.isAlive()) {
            throw new AssertionError("the bridge exited with " + bridge.exitValue() + "; see " + dir.resolve("bridge.log"));
        }
        try (RawConnection connection = RawConnection.open(socket())) {
            return connection.send(MINT).readResponse(Duration.ofSeconds(5)).status();
        } catch (IOException | AssertionError e) {
            return -1;
        }
    }

    /**
     * Callers whose requests the bridge has taken and not answered: the first ones are in the calls Keycloak holds,
     * the others queue in the bridge behind those calls (it sends at most two at once).
     */
    private List<Future<RawResponse>> callersWaitingOnKeycloak() throws Exception {
        keycloak.holdMints();
        int mintsBefore = keycloak.mintCalls();
        List<Future<RawResponse>> answers = new ArrayList<>();
        for (int i = 0; i < HELD; i++) {
            answers.add(call());
            int held = i + 1;
            Await.until(Duration.ofSeconds(5), () -> keycloak.mintCalls() == mintsBefore + held, "a call held by Keycloak");
        }
        int connectionsBefore = acceptedConnections();
        for (int i = HELD; i < CALLERS; i++) {
            answers.add(call());
        }
        Await.until(Duration.ofSeconds(5), () -> acceptedConnections() == connectionsBefore + CALLERS - HELD,
                "the bridge to take the queued callers' connections");
        return answers;
    }

    private Future<RawResponse> call() {
        return callers.submit(() -> {
            try (RawConnection connection = RawConnection.open(socket())) {
                return connection.send(MINT).readResponse(Duration.ofSeconds(10));
            }
        });
    }

    /** Connections the bridge has accepted on its socket, from the kernel's table (Linux). */
    private int acceptedConnections() {
        String path = " " + socket().toAbsolutePath();
        try (Stream<String> lines = Files.lines(Path.of("/proc/net/unix"))) {
            // Columns: Num RefCount Protocol Flags Type St Inode Path; St 03 is connected, 02 still in the queue.
            return (int) lines.filter(line -> line.endsWith(path))
                    .map(line -> line.trim().split("\\s+"))
                    .filter(columns -> columns[5].equals("03"))
                    .count();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private boolean acceptsConnections() {
        try (SocketChannel ignored = SocketChannel.open(UnixDomainSocketAddress.of(socket()))) {
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    private List<Integer> statuses(List<Future<RawResponse>> answers) throws Exception {
        List<Integer> statuses = new ArrayList<>();
        for (Future<RawResponse> answer : answers) {
            statuses.add(answer.get(10, TimeUnit.SECONDS).status());
        }
        return statuses;
    }

    private void assertExitedCleanly(long signalled) throws Exception {
        assertThat("exited within " + EXIT_BOUND, bridge.waitFor(EXIT_BOUND.toMillis(), TimeUnit.MILLISECONDS), is(true));
        assertThat(Duration.ofNanos(System.nanoTime() - signalled), lessThan(EXIT_BOUND));
        assertThat(Files.readString(dir.resolve("bridge.log")), bridge.exitValue(), equalTo(0));
        assertThat(Files.exists(socket(), LinkOption.NOFOLLOW_LINKS), is(false));
        assertThat(Files.readString(tokenFile(), StandardCharsets.US_ASCII), matchesPattern("[\\w-]+\\.[\\w-]+\\.[\\w-]+"));
        try (Stream<Path> files = Files.list(tokenFile().getParent())) {
            assertThat("no temp file left", files.map(p -> p.getFileName().toString()).sorted().toList(),
                    equalTo(List.of("oidc_token")));
        }
    }

    @Test
    void sigtermAnswersEveryRequestInProgressRefusesNewOnesAndExitsZero() throws Exception {
        startBridge();
        List<Future<RawResponse>> inProgress = callersWaitingOnKeycloak();
        RawConnection late = RawConnection.open(socket());

        long signalled = System.nanoTime();
        bridge.destroy();
        Await.until(Duration.ofSeconds(5), () -> !acceptsConnections(), "the bridge to stop accepting");
        RawResponse refused = late.send(MINT).readResponse(Duration.ofSeconds(5));
        keycloak.releaseMints();

        assertThat(refused.status(), equalTo(503));
        assertThat(refused.body(), containsString("\"error\":\"shutting_down\""));
        assertThat("every request in progress got its token", statuses(inProgress), everyItem(equalTo(200)));
        assertExitedCleanly(signalled);
        late.close();
    }

    @Test
    void sigtermWhileKeycloakNeverAnswersEndsEveryRequestWith503WithinTheBound() throws Exception {
        startBridge();
        List<Future<RawResponse>> inProgress = callersWaitingOnKeycloak();

        long signalled = System.nanoTime();
        bridge.destroy();

        for (Future<RawResponse> answer : inProgress) {
            RawResponse response = answer.get(10, TimeUnit.SECONDS);
            assertThat(response.status(), equalTo(503));
            assertThat(response.body(), containsString("\"error\":\"shutting_down\""));
        }
        assertExitedCleanly(signalled);
    }
}
