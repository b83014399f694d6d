package dev.machineoidc.bridge.socket;

import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Consumer;
import org.eclipse.jetty.io.Connection;
import org.eclipse.jetty.util.thread.Scheduler;

/**
 * Holds every connection to one deadline per request: the whole request, head and body, must arrive within
 * {@code limit} of its first byte (of connecting, for a connection's first request). Nothing a slow client
 * sends holds a thread (Jetty parses heads as bytes come, {@link BodyReader} reads bodies the same way), so
 * this is what bounds how long it can hold a connection: a late head gets the connection closed (there is no
 * request to answer yet), a late body a 408 from its reader. Between requests only the idle timeout applies.
 *
 * <p>One sweep on Jetty's scheduler every {@code sweepInterval} checks every connection; the first byte of a
 * kept-alive connection's next request is noticed there too, from the connection's byte count.
 */
final class ReadDeadlines implements Connection.Listener {

    private final long limitNanos;
    private final Duration sweepInterval;
    private final Map<Connection, Tracked> connections = new ConcurrentHashMap<>();
    private volatile Scheduler scheduler;
    private volatile Scheduler.Task nextSweep;
    private volatile boolean draining;

    ReadDeadlines(Duration limit, Duration sweepInterval) {
        this.limitNanos = limit.toNanos();
        this.sweepInterval = sweepInterval;
    }

    /** Sweeps on {@code scheduler} until {@link #stop()}. */
    void start(Scheduler on) {
        scheduler = on;
        scheduleSweep();
    }

    void stop() {
        Scheduler.Task task = nextSweep;
        scheduler = null;
        if (task != null) {
            task.cancel();
        }
    }

    @Override
    public void onOpened(Connection connection) {
        connections.put(connection, new Tracked(System.nanoTime()));
    }

    @Override
    public void onClosed(Connection connection) {
        connections.remove(connection);
    }

    /**
     * The request's head has arrived and {@code reader} reads its body, under the deadline of the request's first
     * byte. From now on a stop answers the reader, and the connection is left alone.
     */
    void reading(Connection connection, BodyReader reader) {
        ifOpen(connection, tracked -> tracked.reading(reader, System.nanoTime()));
    }

    /** The body is in: the request is being answered, which takes no deadline of this class. */
    void answering(Connection connection) {
        ifOpen(connection, Tracked::answering);
    }

    /** The answer is out; the connection waits for its next request. */
    void answered(Connection connection) {
        ifOpen(connection, tracked -> tracked.idle(connection.getBytesIn()));
    }

    /** Whether the server is stopping: readers that finish now are answered 503 instead of being dispatched. */
    boolean draining() {
        return draining;
    }

    /**
     * The server stops: readers are answered 503 at once and idle connections closed; heads still arriving keep
     * their deadline (a head that completes is answered 503 by the intake); answers in progress finish.
     */
    void drain() {
        draining = true;
        connections.forEach((connection, tracked) -> {
            if (tracked.waitingForNextRequest(connection.getBytesIn())) {
                connection.getEndPoint().close();
            }
            BodyReader reader = tracked.bodyReader();
            if (reader != null) {
                reader.refuse();
            }
        });
    }

    private void sweep() {
        long now = System.nanoTime();
        connections.forEach((connection, tracked) -> {
            if (tracked.headLate(now, connection.getBytesIn(), limitNanos)) {
                connection.getEndPoint().close(new TimeoutException(
                        "request head not received within " + TimeUnit.NANOSECONDS.toMillis(limitNanos) + " ms"));
            }
            BodyReader late = tracked.lateBodyReader(now, limitNanos);
            if (late != null) {
                late.expire();
            }
        });
    }

    int size() {
        return connections.size();
    }

    /** A connection already closed stays out: a late call for it must not track it again. */
    private void ifOpen(Connection connection, Consumer<Tracked> change) {
        Tracked tracked = connections.get(connection);
        if (tracked != null) {
            change.accept(tracked);
        }
    }

    private void scheduleSweep() {
        Scheduler on = scheduler;
        if (on != null) {
            nextSweep = on.schedule(() -> {
                try {
                    sweep();
                } finally {
                    scheduleSweep();
                }
            }, sweepInterval.toMillis(), TimeUnit.MILLISECONDS);
        }
    }

    private enum Phase {
        /** Some of a request's head has arrived, or the connection is new. */
        HEAD,
        /** The head is in; a {@link BodyReader} reads the body. */
        BODY,
        /** The request is being answered. */
        ANSWERING,
        /** Between requests: no byte of the next one seen yet. */
        IDLE
    }

    /** One connection's phase, since when, and its byte count when it went idle. */
    private static final class Tracked {

        private Phase phase = Phase.HEAD;
        private long since;
        private long bytesInWhenIdle;
        private BodyReader reader;

        Tracked(long now) {
            since = now;
        }

        synchronized void reading(BodyReader bodyReader, long now) {
            // The deadline runs from the request's first byte; a head noticed by no sweep yet started just now.
            if (phase != Phase.HEAD) {
                since = now;
            }
            phase = Phase.BODY;
            reader = bodyReader;
        }

        synchronized void answering() {
            phase = Phase.ANSWERING;
            reader = null;
        }

        synchronized void idle(long bytesIn) {
            phase = Phase.IDLE;
            bytesInWhenIdle = bytesIn;
            reader = null;
        }

        /** Notices the first byte of the next request; then whether the head is late. */
        synchronized boolean headLate(long now, long bytesIn, long limitNanos) {
            if (phase == Phase.IDLE && bytesIn != bytesInWhenIdle) {
                phase = Phase.HEAD;
                since = now;
            }
            return phase == Phase.HEAD && now - since > limitNanos;
        }

        /** The reader of a body that is late, or null. */
        synchronized BodyReader lateBodyReader(long now, long limitNanos) {
            return phase == Phase.BODY && now - since > limitNanos ? reader : null;
        }

        /** Whether the connection is between requests, with no byte of the next one. */
        synchronized boolean waitingForNextRequest(long bytesIn) {
            return phase == Phase.IDLE && bytesIn == bytesInWhenIdle;
        }

        synchronized BodyReader bodyReader() {
            return phase == Phase.BODY ? reader : null;
        }
    }
}
