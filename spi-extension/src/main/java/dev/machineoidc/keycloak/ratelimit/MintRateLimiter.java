package dev.machineoidc.keycloak.ratelimit;

import org.keycloak.models.SingleUseObjectProvider;

import java.time.Clock;
import java.time.Instant;
import java.util.Map;

/**
 * Each machine's mint rate limit ({@link Gcra}), its state kept in Keycloak's cluster-wide single-use store under the
 * machine's client id, with a lifespan of the time it matters (at most one burst window and a second), so it vanishes
 * by itself. A call reads the entry and, when it changes it, writes it back with the request's transaction.
 * <p>
 * No lock: two calls of one machine in flight at once, on one node or two, may both start from the same state, and
 * the later write wins. Each gets at most what the limit allows on its own, so a machine with n calls in flight can
 * get up to n times its limit while they overlap; the bridge keeps at most two in flight, so at most twice.
 */
public final class MintRateLimiter {

    static final String KEY_PREFIX = "machine-oidc.mint-rate.";
    static final String TAT = "tat";
    static final String REFUSING = "refusing";

    private final SingleUseObjectProvider store;
    private final Clock clock;

    public MintRateLimiter(SingleUseObjectProvider store, Clock clock) {
        this.store = store;
        this.clock = clock;
    }

    /**
     * @param machineId       the machine's client id (internal id, unique across the database)
     * @param tokensPerSecond the org's {@code mint_rate_limit}
     * @param tokens          what the call asks for: 1, or a batch's size
     */
    public Gcra.Decision admit(String machineId, double tokensPerSecond, int tokens) {
        String key = KEY_PREFIX + machineId;
        Gcra.Decision decision = Gcra.decide(state(store.get(key)), tokensPerSecond, tokens, nowNanos());
        if (decision.next() != null) {
            store.put(key, decision.lifespanSeconds(), Map.of(
                    TAT, Long.toString(decision.next().tatNanos()),
                    REFUSING, Boolean.toString(decision.next().refusing())));
        }
        return decision;
    }

    /** The stored state; an entry this class did not write counts as none, a full bucket. */
    static Gcra.State state(Map<String, String> notes) {
        if (notes == null || notes.get(TAT) == null) {
            return null;
        }
        try {
            return new Gcra.State(Long.parseLong(notes.get(TAT)), Boolean.parseBoolean(notes.get(REFUSING)));
        } catch (NumberFormatException e) {
            return null;
        }
    }

    private long nowNanos() {
        Instant now = clock.instant();
        return now.getEpochSecond() * Gcra.NANOS_PER_SECOND + now.getNano();
    }
}
