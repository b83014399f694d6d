package dev.machineoidc.bridge.testing;

import java.time.Duration;
import java.util.concurrent.locks.LockSupport;
import java.util.function.BooleanSupplier;

/** Polls a condition until a deadline: the tests' only way of waiting. */
public final class Await {

    private static final Duration POLL_INTERVAL = Duration.ofMillis(5);

    private Await() {
    }

    public static void until(Duration timeout, BooleanSupplier condition, String what) {
        until(timeout, POLL_INTERVAL, condition, what);
    }

    /** With a longer {@code interval} for conditions that are costly to check, e.g. a call through a socket. */
    public static void until(Duration timeout, Duration interval, BooleanSupplier condition, String what) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("timed out after " + timeout + " waiting for " + what);
            }
            LockSupport.parkNanos(interval.toNanos());
        }
    }
}
