package dev.machineoidc.bridge.keycloak;

import java.time.Duration;

/**
 * A point in monotonic time by which a caller must have its answer, shared by every call to Keycloak made for it.
 * Not keycloak-arquillian's {@code Deadline}, the same idea in the test support: the daemon must not ship test support,
 * and a module of its own for a dozen lines would cost more than these two small classes.
 */
final class AnswerDeadline {

    private final long deadlineNanos;

    private AnswerDeadline(long deadlineNanos) {
        this.deadlineNanos = deadlineNanos;
    }

    static AnswerDeadline after(Duration budget) {
        return new AnswerDeadline(System.nanoTime() + budget.toNanos());
    }

    Duration remaining() {
        long left = deadlineNanos - System.nanoTime();
        return left > 0 ? Duration.ofNanos(left) : Duration.ZERO;
    }
}
