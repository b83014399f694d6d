package dev.machineoidc.bench.load;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * A closed loop of blocking workers, one thread each, every one asking for its next token as soon as its last
 * one is answered: the shape of {@link ClosedLoop} for load that a worker sends itself over its own connections
 * (the fleet's). A ramp at the same concurrency precedes the measured window.
 */
public final class BlockingClosedLoop {

    private static final Duration DRAIN = Duration.ofSeconds(30);

    /** One worker's way to a token; opened on its own thread, closed when the worker stops. */
    public interface Worker extends AutoCloseable {

        /** Asks for one token and waits for it; returns normally only when the answer holds one. */
        void mintOne() throws Exception;

        @Override
        void close();
    }

    @FunctionalInterface
    public interface Workers {
        Worker open() throws Exception;
    }

    private BlockingClosedLoop() {
    }

    public static Window run(Workers workers, int concurrency, Duration ramp, Duration measured, CpuMeters meters)
            throws InterruptedException {
        long start = System.nanoTime() + ramp.toNanos();
        long end = start + measured.toNanos();
        Outcomes outcomes = new Outcomes(start, end);
        List<Thread> threads = new ArrayList<>(concurrency);
        for (int i = 0; i < concurrency; i++) {
            Thread thread = new Thread(() -> work(workers, outcomes, end), "blocking-loop-" + i);
            thread.setDaemon(true);
            thread.start();
            threads.add(thread);
        }
        Map<String, Duration> cpu = outcomes.meter(meters);
        long deadline = System.nanoTime() + DRAIN.toNanos();
        for (Thread thread : threads) {
            thread.join(Math.max(1, TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime())));
            if (thread.isAlive()) {
                threads.forEach(Thread::interrupt);
                throw new IllegalStateException("requests still unanswered " + DRAIN.toSeconds() + " s after the window");
            }
        }
        return outcomes.window(cpu);
    }

    private static void work(Workers workers, Outcomes outcomes, long end) {
        Worker opened;
        try {
            opened = workers.open();
        } catch (Exception e) {
            // A worker that cannot even start fails every request it would have sent; one error says why.
            outcomes.error("worker: " + e);
            return;
        }
        try (Worker worker = opened) {
            long now;
            do {
                long sent = System.nanoTime();
                Optional<String> failure;
                try {
                    worker.mintOne();
                    failure = Optional.empty();
                } catch (InterruptedException e) {
                    return;
                } catch (Exception e) {
                    failure = Optional.of(String.valueOf(e));
                }
                now = System.nanoTime();
                outcomes.complete(sent, now, failure);
            } while (now < end && !Thread.currentThread().isInterrupted());
        }
    }
}
