package dev.machineoidc.bridge.socket;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.is;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.machineoidc.bridge.api.ErrorBody;
import dev.machineoidc.bridge.config.FileMode;
import dev.machineoidc.bridge.testing.Await;
import dev.machineoidc.bridge.testing.RawConnection;
import dev.machineoidc.bridge.testing.RawResponse;
import dev.machineoidc.bridge.testing.UnixHttpClient;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

@Timeout(30)
class SocketServerTest {

    @TempDir
    Path dir;

    private static SocketServer server(Path path, String mode) {
        HttpServlet ok = new HttpServlet() {
            @Override
            protected void service(HttpServletRequest request, HttpServletResponse response) throws IOException {
                response.setContentType("text/plain");
                response.getOutputStream().write('k');
            }
        };
        return new SocketServer(path, FileMode.parseOctal(mode), ok, new ErrorBody());
    }

    private static int get(Path socket) throws Exception {
        try (UnixHttpClient client = new UnixHttpClient(socket)) {
            return client.send("GET", "/", null).getStatus();
        }
    }

    @Test
    void createsTheDirectoryAppliesTheModeAndRemovesTheSocketOnStop() throws Exception {
        Path socket = dir.resolve("missing/parent/api");
        SocketServer server = server(socket, "0660");

        server.start();
        try {
            assertThat(Files.isDirectory(socket.getParent()), is(true));
            assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(socket)), equalTo("rw-rw----"));
            assertThat(get(socket), equalTo(200));
        } finally {
            server.stop();
        }
        assertThat(Files.exists(socket, LinkOption.NOFOLLOW_LINKS), is(false));
    }

    @Test
    void appliesAStricterMode() throws Exception {
        Path socket = dir.resolve("api");
        SocketServer server = server(socket, "600");
        server.start();
        try {
            assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(socket)), equalTo("rw-------"));
        } finally {
            server.stop();
        }
    }

    @Test
    void replacesAStaleSocketNobodyListensOn() throws Exception {
        Path socket = dir.resolve("api");
        // A socket file whose listener is gone, as a killed bridge leaves it.
        try (ServerSocketChannel dead = ServerSocketChannel.open(StandardProtocolFamily.UNIX)) {
            dead.bind(UnixDomainSocketAddress.of(socket));
        }
        assertThat(Files.exists(socket, LinkOption.NOFOLLOW_LINKS), is(true));

        SocketServer server = server(socket, "0660");
        server.start();
        try {
            assertThat(get(socket), equalTo(200));
        } finally {
            server.stop();
        }
    }

    @Test
    void refusesASocketAnotherProcessListensOn() throws Exception {
        Path socket = dir.resolve("api");
        try (ServerSocketChannel live = ServerSocketChannel.open(StandardProtocolFamily.UNIX)) {
            live.bind(UnixDomainSocketAddress.of(socket));

            FileAlreadyExistsException e = assertThrows(FileAlreadyExistsException.class, () -> server(socket, "0660").start());

            assertThat(e.getMessage(), containsString("another process is listening"));
            assertThat("the other listener keeps its socket", Files.exists(socket, LinkOption.NOFOLLOW_LINKS), is(true));
        }
    }

    @Test
    void refusesToReplaceSomethingThatIsNotASocket() throws Exception {
        Path notASocket = Files.writeString(dir.resolve("api"), "precious");

        FileAlreadyExistsException e = assertThrows(FileAlreadyExistsException.class, () -> server(notASocket, "0660").start());

        assertThat(e.getMessage(), containsString("not a socket"));
        assertThat(Files.readString(notASocket), equalTo("precious"));
    }

    @Test
    void aBurstOfSimultaneousNonBlockingConnectsIsAllAnswered() throws Exception {
        Path socket = dir.resolve("api");
        SocketServer server = server(socket, "0600");
        server.start();
        List<RawConnection> burst = new ArrayList<>();
        try {
            // All connects before any request, as fast as one thread can: they pile up in the accept queue.
            for (int i = 0; i < 200; i++) {
                burst.add(RawConnection.openNonBlocking(socket));
            }
            for (RawConnection connection : burst) {
                connection.send("GET / HTTP/1.1\r\nHost: localhost\r\n\r\n");
            }
            for (RawConnection connection : burst) {
                assertThat(connection.readResponse(Duration.ofSeconds(5)).status(), equalTo(200));
            }
        } finally {
            for (RawConnection connection : burst) {
                connection.close();
            }
            server.stop();
        }
    }

    @Test
    void stopAnswersRequestsInProgressRefusesNewOnesAndRemovesTheSocket() throws Exception {
        Path socket = dir.resolve("api");
        CountDownLatch entered = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        HttpServlet slow = new HttpServlet() {
            @Override
            protected void service(HttpServletRequest request, HttpServletResponse response) throws IOException {
                entered.countDown();
                try {
                    release.await(10, TimeUnit.SECONDS);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
                response.setContentType("text/plain");
                response.getOutputStream().write('k');
            }
        };
        SocketServer server = new SocketServer(socket, FileMode.parseOctal("0600"), slow, new ErrorBody());
        server.start();
        try (RawConnection inProgress = RawConnection.open(socket);
             RawConnection late = RawConnection.open(socket)) {
            inProgress.send("GET / HTTP/1.1\r\nHost: localhost\r\n\r\n");
            assertThat(entered.await(5, TimeUnit.SECONDS), is(true));

            CompletableFuture<Void> stopped = CompletableFuture.runAsync(() -> {
                try {
                    server.stop();
                } catch (Exception e) {
                    throw new IllegalStateException(e);
                }
            });
            Await.until(Duration.ofSeconds(5), () -> !accepts(socket), "new connects to be refused");

            RawResponse refused = late.send("POST /v1/tokens/oidc HTTP/1.1\r\nHost: localhost\r\n\r\n")
                    .readResponse(Duration.ofSeconds(5));
            assertThat(refused.status(), equalTo(503));
            assertThat(refused.header("Retry-After"), equalTo("2"));
            assertThat(refused.body(), containsString("\"error\":\"shutting_down\""));

            release.countDown();
            assertThat(inProgress.readResponse(Duration.ofSeconds(5)).body(), equalTo("k"));
            stopped.get(SocketServer.STOP_TIMEOUT.toMillis() + 1000, TimeUnit.MILLISECONDS);
        }
        assertThat(Files.exists(socket, LinkOption.NOFOLLOW_LINKS), is(false));
    }

    private static boolean accepts(Path socket) {
        try (SocketChannel ignored = SocketChannel.open(UnixDomainSocketAddress.of(socket))) {
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    @Test
    void rejectsAPathTheKernelCannotBind() {
        Path tooLong = dir.resolve("s".repeat(120));

        assertThrows(IllegalArgumentException.class, () -> server(tooLong, "0660"));
    }
}
