package dev.machineoidc.arquillian;

import java.time.Duration;

/**
 * A point in time that every wait in this adapter is bounded by, so that no loop can run forever. The bridge has the
 * same idea as its own {@code AnswerDeadline}: a shipped daemon does not depend on test support.
 */
record Deadline(long endNanos) {

    static Deadline after(Duration timeout) {
        return new Deadline(System.nanoTime() + timeout.toNanos());
    }

    Duration remaining() {
        return Duration.ofNanos(Math.max(0, endNanos - System.nanoTime()));
    }

    boolean expired() {
        return endNanos - System.nanoTime() <= 0;
    }
}
