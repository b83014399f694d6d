package dev.machineoidc.bridge.tokenfile;

import java.time.Duration;

/** Doubling retry delays, capped; reset after a success. Not thread-safe: one refresher owns it. */
final class Backoff {

    private final Duration initial;
    private final Duration max;
    private Duration next;

    Backoff(Duration initial, Duration max) {
        this.initial = initial;
        this.max = max;
        this.next = initial;
    }

    Duration next() {
        Duration delay = next;
        Duration doubled = next.multipliedBy(2);
        next = doubled.compareTo(max) > 0 ? max : doubled;
        return delay;
    }

    void reset() {
        next = initial;
    }
}
