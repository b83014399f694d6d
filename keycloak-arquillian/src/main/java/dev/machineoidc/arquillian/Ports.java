package dev.machineoidc.arquillian;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.time.Duration;
import java.util.List;

/** Whether Keycloak's ports can be bound: checked before a launch and awaited after a stop. */
final class Ports {

    private static final Duration POLL = Duration.ofMillis(200);

    private Ports() {
    }

    /** Binds the wildcard address like Keycloak does; SO_REUSEADDR so that TIME_WAIT leftovers don't count. */
    static boolean isFree(int port) {
        try (ServerSocket socket = new ServerSocket()) {
            socket.setReuseAddress(true);
            socket.bind(new InetSocketAddress(port));
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    static List<Integer> taken(List<Integer> ports) {
        return ports.stream().filter(port -> !isFree(port)).toList();
    }

    /** True once every port is free, false if one is still taken when the deadline passes. */
    static boolean awaitFree(List<Integer> ports, Deadline deadline) throws InterruptedException {
        while (!taken(ports).isEmpty()) {
            if (deadline.expired()) {
                return false;
            }
            Thread.sleep(POLL.toMillis());
        }
        return true;
    }
}
