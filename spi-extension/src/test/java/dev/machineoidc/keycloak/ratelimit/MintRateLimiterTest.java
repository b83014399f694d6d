package dev.machineoidc.keycloak.ratelimit;

import dev.machineoidc.keycloak.testing.FakeSingleUseStore;
import org.junit.jupiter.api.Test;

import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.is;
import static org.hamcrest.Matchers.nullValue;

class MintRateLimiterTest {

    private static final String KEY = MintRateLimiter.KEY_PREFIX + "148e21ea7e46e8";
    private static final Instant NOW = Instant.parse("2026-11-29T12:00:00.250Z");

    private final FakeSingleUseStore store = new FakeSingleUseStore();
    private final MintRateLimiter limiter = new MintRateLimiter(store, Clock.fixed(NOW, ZoneOffset.UTC));

    @Test
    void aGrantIsStoredUnderTheMachineWithTheTimeItMatters() {
        Gcra.Decision decision = limiter.admit("148e21ea7e46e8", 1, 1);

        assertThat(decision.granted(), is(1));
        long nowNanos = NOW.getEpochSecond() * Gcra.NANOS_PER_SECOND + NOW.getNano();
        assertThat(store.entries.get(KEY), is(Map.of(MintRateLimiter.TAT, Long.toString(nowNanos + Gcra.NANOS_PER_SECOND),
                MintRateLimiter.REFUSING, "false")));
        assertThat(store.lifespans.get(KEY), is(1L));
    }

    @Test
    void theStoredStateCarriesOverToTheNextCallAndMarksTheBurst() {
        List<Gcra.Decision> decisions = List.of(limiter.admit("148e21ea7e46e8", 1, 2), limiter.admit("148e21ea7e46e8", 1, 1),
                limiter.admit("148e21ea7e46e8", 1, 1));

        assertThat(decisions.stream().map(Gcra.Decision::granted).toList(), is(List.of(2, 0, 0)));
        assertThat(decisions.stream().map(Gcra.Decision::burstStarts).toList(), is(List.of(false, true, false)));
        assertThat(store.entries.get(KEY).get(MintRateLimiter.REFUSING), is("true"));
        assertThat("the refusal that continues the burst writes nothing", store.puts.get(), is(2));
    }

    @Test
    void machinesHaveTheirOwnLimits() {
        limiter.admit("aaaaaaaaaaaaaa", 1, 2);

        assertThat(limiter.admit("bbbbbbbbbbbbbb", 1, 2).granted(), is(2));
    }

    @Test
    void anEntryItDidNotWriteCountsAsAFullBucket() {
        assertThat(MintRateLimiter.state(null), is(nullValue()));
        assertThat(MintRateLimiter.state(Map.of()), is(nullValue()));
        assertThat(MintRateLimiter.state(Map.of(MintRateLimiter.TAT, "soon")), is(nullValue()));
        assertThat(MintRateLimiter.state(Map.of(MintRateLimiter.TAT, "42", MintRateLimiter.REFUSING, "true")),
                is(new Gcra.State(42, true)));

        store.put(KEY, 60, Map.of(MintRateLimiter.TAT, "not a number"));
        assertThat(limiter.admit("148e21ea7e46e8", 1, 2).granted(), is(2));
    }
}
