package dev.machineoidc.keycloak.ratelimit;

/**
 * The generic cell rate algorithm (a token bucket kept as one number) for one machine's mints: the state is the
 * "theoretical arrival time" (TAT), when the machine's bucket would be full again if it took nothing more. A call
 * for k tokens takes as many as fit — each advances the TAT by one emission interval (1 / rate), and a token fits
 * while the TAT stays within one burst window of now — and is refused the rest.
 * <p>
 * The burst is twice the rate, and at least one token: the window is {@code max(2 s, 1 / rate)}.
 * Times are nanoseconds of a wall clock that all nodes of a cluster share (to their NTP accuracy).
 */
public final class Gcra {

    static final long NANOS_PER_SECOND = 1_000_000_000L;
    /** Burst = 2 x rate: a window of two seconds' worth of tokens. */
    static final long MIN_WINDOW_NANOS = 2 * NANOS_PER_SECOND;

    private Gcra() {
    }

    /**
     * One machine's state.
     *
     * @param tatNanos when the bucket is full again
     * @param refusing whether the machine's last call was refused tokens: the next refusal continues that burst
     */
    public record State(long tatNanos, boolean refusing) {
    }

    /**
     * What a call gets.
     *
     * @param granted           tokens to mint, the first ones the call asked for
     * @param refused           tokens refused
     * @param retryAfterSeconds when refused: whole seconds until one more token fits (at least 1); else 0
     * @param burstStarts       this refusal starts a burst of refusals (the machine's previous call got all it asked)
     * @param next              the state to store, or null when it stays as it was
     * @param lifespanSeconds   how long the stored state matters: once the TAT is past, no state means the same
     */
    public record Decision(int granted, int refused, long retryAfterSeconds, boolean burstStarts, State next,
                           long lifespanSeconds) {
    }

    /**
     * @param previous       the stored state, or null when there is none (a full bucket)
     * @param tokensPerSecond the org's rate limit, positive
     * @param requested      tokens the call asks for, at least 1
     * @param nowNanos       the wall clock
     */
    public static Decision decide(State previous, double tokensPerSecond, int requested, long nowNanos) {
        long interval = Math.max(1, (long) (NANOS_PER_SECOND / tokensPerSecond));
        long window = Math.max(MIN_WINDOW_NANOS, interval);
        // Beyond one window ahead only when a node whose clock runs ahead wrote it: as far as this clock allows.
        long tat = previous == null ? nowNanos : Math.min(Math.max(previous.tatNanos(), nowNanos), nowNanos + window);
        long fitting = (nowNanos + window - tat) / interval;
        int granted = (int) Math.min(requested, fitting);
        int refused = requested - granted;
        long nextTat = tat + granted * interval;
        boolean wasRefusing = previous != null && previous.refusing();
        boolean refusing = refused > 0;
        long retryAfter = refusing ? Math.max(1, ceilSeconds(nextTat + interval - window - nowNanos)) : 0;
        // A call that only continues a refusal changes nothing: the stored state already says "refusing".
        State next = granted > 0 || refusing != wasRefusing ? new State(nextTat, refusing) : null;
        long lifespan = Math.max(1, ceilSeconds(nextTat - nowNanos));
        return new Decision(granted, refused, retryAfter, refusing && !wasRefusing, next, lifespan);
    }

    private static long ceilSeconds(long nanos) {
        return Math.floorDiv(nanos + NANOS_PER_SECOND - 1, NANOS_PER_SECOND);
    }
}
