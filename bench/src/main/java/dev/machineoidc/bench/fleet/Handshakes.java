package dev.machineoidc.bench.fleet;

import java.util.concurrent.atomic.AtomicLong;

/** The TLS connections a fleet load opened, and how many of them resumed the member's session. */
public final class Handshakes {

    public record Count(long connections, long resumed) {

        public Count minus(Count earlier) {
            return new Count(connections - earlier.connections, resumed - earlier.resumed);
        }

        /** NaN without connections (the kept-alive loads open none per token). */
        public double resumedShare() {
            return connections == 0 ? Double.NaN : (double) resumed / connections;
        }
    }

    private final AtomicLong connections = new AtomicLong();
    private final AtomicLong resumed = new AtomicLong();

    void record(boolean wasResumed) {
        connections.incrementAndGet();
        if (wasResumed) {
            resumed.incrementAndGet();
        }
    }

    public Count count() {
        return new Count(connections.get(), resumed.get());
    }
}
