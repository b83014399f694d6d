package dev.machineoidc.bridge.socket;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.greaterThanOrEqualTo;
import static org.hamcrest.Matchers.is;
import static org.hamcrest.Matchers.lessThan;

import dev.machineoidc.bridge.api.ErrorBody;
import dev.machineoidc.bridge.config.FileMode;
import dev.machineoidc.bridge.testing.Await;
import dev.machineoidc.bridge.testing.RawConnection;
import dev.machineoidc.bridge.testing.RawResponse;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** Clients that send slowly or not at all, over the real socket: what they cost the others, and when they are cut. */
@Timeout(60)
class SlowClientsTest {

    private static final String HEAD = "POST /v1/tokens/oidc HTTP/1.1\r\nHost: localhost\r\nContent-Type: application/json\r\n";
    private static final String BODY = "{\"aud\":\"sts.amazonaws.com\"}";
    private static final String FULL_REQUEST = HEAD + "Content-Length: " + BODY.length() + "\r\n\r\n" + BODY;
    /** More than the server has threads: before, this many stalled bodies left no thread for anyone else. */
    private static final int STALLED = 100;
    private static final Duration DEADLINE = SocketServer.READ_DEADLINE;

    @TempDir
    Path dir;

    private final AtomicInteger servletCalls = new AtomicInteger();
    private final List<RawConnection> connections = new ArrayList<>();
    private SocketServer server;

    /** Answers how many body bytes it read, so a test sees the servlet got the whole body. */
    @BeforeEach
    void start() throws Exception {
        HttpServlet echo = new HttpServlet() {
            @Override
            protected void service(HttpServletRequest request, HttpServletResponse response) throws IOException {
                servletCalls.incrementAndGet();
                byte[] body = request.getInputStream().readAllBytes();
                response.setContentType("text/plain");
                response.getOutputStream().write(("read " + body.length).getBytes(StandardCharsets.US_ASCII));
            }
        };
        server = new SocketServer(dir.resolve("api"), FileMode.parseOctal("0600"), echo, new ErrorBody());
        server.start();
    }

    @AfterEach
    void stop() throws Exception {
        for (RawConnection connection : connections) {
            connection.close();
        }
        server.stop();
    }

    private RawConnection connect() throws IOException {
        RawConnection connection = RawConnection.open(server.path());
        connections.add(connection);
        return connection;
    }

    @Test
    void stalledBodiesHoldNoThreadSoAnotherRequestIsAnsweredBeforeTheirDeadline() throws Exception {
        List<RawConnection> stalled = new ArrayList<>();
        for (int i = 0; i < STALLED; i++) {
            stalled.add(connect().send(HEAD + "Content-Length: 100\r\n\r\n{\"aud\":"));
        }

        RawResponse answer = connect().send(FULL_REQUEST).readResponse(DEADLINE);

        assertThat(answer.status(), equalTo(200));
        assertThat(answer.body(), equalTo("read " + BODY.length()));
        for (RawConnection connection : stalled) {
            assertThat("answered while every stalled client was still connected",
                    connection.closedByServer(Duration.ZERO), is(false));
        }
        assertThat("no servlet ran for a body that never arrived", servletCalls.get(), equalTo(1));
    }

    @Test
    void aBodyNotInWithinTheDeadlineIsAnswered408AndTheConnectionClosed() throws Exception {
        long started = System.nanoTime();
        RawConnection slow = connect().send(HEAD + "Content-Length: 100\r\n\r\n{\"aud\":");

        RawResponse answer = slow.readResponse(DEADLINE.multipliedBy(3));

        Duration took = Duration.ofNanos(System.nanoTime() - started);
        assertThat(answer.status(), equalTo(408));
        assertThat(answer.header("Content-Type"), equalTo("application/json"));
        assertThat(answer.header("Connection"), equalTo("close"));
        assertThat(answer.body(), containsString("\"error\":\"request_timeout\""));
        assertThat(answer.body(), containsString("\"message\":\"the request was not received whole within 2000 ms\""));
        assertThat(took, greaterThanOrEqualTo(DEADLINE));
        assertThat(slow.closedByServer(Duration.ofSeconds(1)), is(true));
        assertThat(servletCalls.get(), equalTo(0));
    }

    @Test
    void aBodyTricklingInIsCutAtTheDeadlineToo() throws Exception {
        long started = System.nanoTime();
        RawConnection slow = connect().send(HEAD + "Content-Length: 1000\r\n\r\n");

        // One byte every 100 ms: activity that an idle timeout would never end.
        while (!slow.closedByServer(Duration.ofMillis(100))) {
            assertThat("still sending after three deadlines", Duration.ofNanos(System.nanoTime() - started),
                    lessThan(DEADLINE.multipliedBy(3)));
            slow.send(" ");
        }

        assertThat(RawResponse.parse(slow.readUntilClosed(Duration.ZERO)).orElseThrow().status(), equalTo(408));
    }

    @Test
    void aHeadTricklingInGetsTheConnectionClosedAtTheDeadline() throws Exception {
        long started = System.nanoTime();
        RawConnection slow = connect().send(HEAD);

        while (!slow.closedByServer(Duration.ofMillis(100))) {
            assertThat("still sending after three deadlines", Duration.ofNanos(System.nanoTime() - started),
                    lessThan(DEADLINE.multipliedBy(3)));
            slow.send("X");
        }

        assertThat(Duration.ofNanos(System.nanoTime() - started), greaterThanOrEqualTo(DEADLINE));
        assertThat("no request, so nothing to answer", slow.bytesReceived(), equalTo(0));
    }

    @Test
    void aConnectionThatSendsNothingIsClosedAtTheDeadline() throws Exception {
        RawConnection silent = connect();

        assertThat(silent.closedByServer(DEADLINE.multipliedBy(3)), is(true));
        assertThat(silent.bytesReceived(), equalTo(0));
    }

    @Test
    void aKeptAliveConnectionMayIdleBetweenRequestsAndItsNextRequestHasItsOwnDeadline() throws Exception {
        RawConnection client = connect();
        assertThat(client.send(FULL_REQUEST).readResponse(DEADLINE).status(), equalTo(200));

        assertThat("idle between requests is the idle timeout's business",
                client.closedByServer(DEADLINE.plusMillis(500)), is(false));
        assertThat(client.send(FULL_REQUEST).readResponse(DEADLINE).status(), equalTo(200));

        long started = System.nanoTime();
        client.send(HEAD);
        assertThat(client.closedByServer(DEADLINE.multipliedBy(3)), is(true));
        assertThat(Duration.ofNanos(System.nanoTime() - started), greaterThanOrEqualTo(DEADLINE));
    }

    @Test
    void atTheConnectionCapFurtherConnectsWaitUntilASlotFrees() throws Exception {
        List<RawConnection> silent = new ArrayList<>();
        for (int i = 0; i < SocketServer.MAX_CONNECTIONS; i++) {
            silent.add(connect());
        }
        Await.until(Duration.ofSeconds(10), () -> server.connections() == SocketServer.MAX_CONNECTIONS,
                "the server to hold every connection");

        RawConnection waiting = connect().send(FULL_REQUEST);
        RawResponse answer = waiting.readResponse(DEADLINE.multipliedBy(4));

        assertThat(answer.status(), equalTo(200));
        assertThat("answered only once the silent ones were cut", silent.get(0).closedByServer(Duration.ZERO), is(true));
    }

    @Test
    void manyStalledClientsAtOnceAreAllCutAndTheServerServesOn() throws Exception {
        for (int i = 0; i < STALLED; i++) {
            connect().send(i % 2 == 0 ? HEAD : HEAD + "Content-Length: 100\r\n\r\n{");
        }
        Await.until(DEADLINE, () -> server.connections() == STALLED, "the server to hold every stalled connection");
        Await.until(DEADLINE.multipliedBy(3), () -> server.connections() == 0, "every stalled connection to be cut");

        assertThat(connect().send(FULL_REQUEST).readResponse(DEADLINE).status(), equalTo(200));
    }
}
