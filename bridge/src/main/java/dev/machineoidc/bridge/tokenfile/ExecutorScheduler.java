package dev.machineoidc.bridge.tokenfile;

import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Daemon threads, one per token file: refreshing a file never keeps the JVM alive on its own, and a file whose mint
 * hangs (up to the mint timeout) never delays another's refresh or removal. {@link #close()} waits for a refresh
 * in progress, so that a JVM exiting after it never cuts a write short and leaves its temp file behind.
 */
public final class ExecutorScheduler implements Scheduler, AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(ExecutorScheduler.class);
    /** A refresh interrupted mid-mint or mid-write ends within milliseconds; this only bounds a surprise. */
    private static final Duration CLOSE_TIMEOUT = Duration.ofSeconds(2);

    private final ScheduledExecutorService executor;

    /** @param threads how many tasks may run at once: one per refresher, as each has at most one task pending */
    public ExecutorScheduler(int threads) {
        executor = Executors.newScheduledThreadPool(threads, task -> {
            Thread thread = new Thread(task, "token-file");
            thread.setDaemon(true);
            return thread;
        });
    }

    @Override
    public void schedule(Runnable task, Duration delay) {
        try {
            executor.schedule(task, delay.toMillis(), TimeUnit.MILLISECONDS);
        } catch (RejectedExecutionException e) {
            // Closed while a refresh was running: nothing left to schedule for.
        }
    }

    /** Interrupts a refresh in progress (its write then removes its temp file) and waits for it to end. */
    @Override
    public void close() {
        executor.shutdownNow();
        try {
            if (!executor.awaitTermination(CLOSE_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS)) {
                LOG.warn("The token file refresh did not end within {} ms of the stop", CLOSE_TIMEOUT.toMillis());
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
