package dev.machineoidc.arquillian;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.contains;
import static org.hamcrest.Matchers.is;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.time.Duration;
import java.util.List;

import org.junit.jupiter.api.Test;

class PortsTest {

    @Test
    void aListeningPortIsTakenUntilClosed() throws IOException, InterruptedException {
        int port;
        try (ServerSocket listener = new ServerSocket(0, 50, InetAddress.getLoopbackAddress())) {
            port = listener.getLocalPort();
            assertThat(Ports.isFree(port), is(false));
            assertThat(Ports.taken(List.of(port)), contains(port));
            assertThat(Ports.awaitFree(List.of(port), Deadline.after(Duration.ofMillis(300))), is(false));
        }
        assertThat(Ports.awaitFree(List.of(port), Deadline.after(Duration.ofSeconds(5))), is(true));
    }
}
