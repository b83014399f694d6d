package dev.machineoidc.keycloak.ratelimit;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.util.Random;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.is;
import static org.hamcrest.Matchers.lessThanOrEqualTo;
import static org.hamcrest.Matchers.nullValue;

class GcraTest {

    private static final long SECOND = Gcra.NANOS_PER_SECOND;
    private static final long MILLI = SECOND / 1000;
    /** Some wall-clock time; only differences matter. */
    private static final long T0 = 1_780_000_000L * SECOND;

    /** One machine's calls against a clock the test moves: the store is the last state a call left. */
    private static final class Machine {
        private final double rate;
        private Gcra.State stored;
        private long now = T0;

        Machine(double rate) {
            this.rate = rate;
        }

        Gcra.Decision call(int tokens) {
            Gcra.Decision decision = Gcra.decide(stored, rate, tokens, now);
            if (decision.next() != null) {
                stored = decision.next();
            }
            return decision;
        }

        void advance(long nanos) {
            now += nanos;
            if (stored != null && stored.tatNanos() <= now) {
                stored = null; // the entry's lifespan ends once its TAT has passed
            }
        }
    }

    @Test
    void oneTokenPerSecondAllowsABurstOfTwoThenOnePerSecond() {
        Machine machine = new Machine(1);

        assertThat(machine.call(1).granted(), is(1));
        assertThat(machine.call(1).granted(), is(1));
        Gcra.Decision third = machine.call(1);
        assertThat(third.granted(), is(0));
        assertThat(third.refused(), is(1));
        assertThat(third.retryAfterSeconds(), is(1L));

        machine.advance(999 * MILLI);
        assertThat(machine.call(1).granted(), is(0));
        machine.advance(MILLI);
        assertThat(machine.call(1).granted(), is(1));
        assertThat(machine.call(1).granted(), is(0));
    }

    @Test
    void onlyTheFirstRefusalOfABurstStartsIt() {
        Machine machine = new Machine(1);
        machine.call(2);

        Gcra.Decision first = machine.call(1);
        Gcra.Decision second = machine.call(1);
        machine.advance(SECOND);
        Gcra.Decision allowed = machine.call(1);
        Gcra.Decision nextBurst = machine.call(1);

        assertThat(first.burstStarts(), is(true));
        assertThat("the first refusal is stored, so other calls and nodes know the burst began", first.next().refusing(), is(true));
        assertThat(second.burstStarts(), is(false));
        assertThat("a refusal that continues a burst writes nothing", second.next(), is(nullValue()));
        assertThat(allowed.granted(), is(1));
        assertThat(allowed.next().refusing(), is(false));
        assertThat(nextBurst.burstStarts(), is(true));
    }

    @Test
    void aBatchGetsWhatFitsAndTheRestIsRefused() {
        Machine machine = new Machine(10);

        Gcra.Decision batch = machine.call(64);

        assertThat(batch.granted(), is(20));
        assertThat(batch.refused(), is(44));
        assertThat("one token fits again after 0.1 s, rounded up", batch.retryAfterSeconds(), is(1L));
        assertThat(batch.burstStarts(), is(true));
    }

    @ParameterizedTest
    @CsvSource({
            "100,     200, 1",
            "3,       6,   1",
            "7,       14,  1",
            "0.75,    1,   1",
            "0.5,     1,   2",
            "0.1,     1,   10",
            "0.01,    1,   100",
            "100000,  200000, 1"})
    void theBurstIsTwiceTheRateAndAtLeastOneToken(double rate, int burst, long retryAfterSeconds) {
        Machine machine = new Machine(rate);

        Gcra.Decision full = machine.call(Math.min(burst + 1, 300_000));

        assertThat(full.granted(), is(burst));
        assertThat(full.retryAfterSeconds(), is(retryAfterSeconds));
    }

    @Test
    void theStateMattersAsLongAsItsTatIsAhead() {
        Machine slow = new Machine(0.01);
        Gcra.Decision only = slow.call(1);
        Machine fast = new Machine(100);
        Gcra.Decision one = fast.call(1);

        assertThat(only.lifespanSeconds(), is(100L));
        assertThat("at least a second", one.lifespanSeconds(), is(1L));
    }

    @Test
    void aTatFromAClockFarAheadBlocksForOneWindowAtMost() {
        Gcra.State fromTheFuture = new Gcra.State(T0 + 3600 * SECOND, false);

        Gcra.Decision refused = Gcra.decide(fromTheFuture, 1, 1, T0);

        assertThat(refused.granted(), is(0));
        assertThat(refused.retryAfterSeconds(), is(1L));
        assertThat(refused.lifespanSeconds(), is(2L));
        assertThat(refused.next().tatNanos(), is(T0 + 2 * SECOND));
    }

    @Test
    void aMachineWithinItsLimitIsNeverRefused() {
        Machine machine = new Machine(5);
        for (int i = 0; i < 1000; i++) {
            assertThat("call " + i, machine.call(1).refused(), is(0));
            machine.advance(200 * MILLI);
        }
    }

    /** Whatever the calls, no span of time gets more than a burst plus the rate times its length. */
    @Test
    void noSpanGetsMoreThanABurstPlusTheRate() {
        Random random = new Random(11);
        for (int run = 0; run < 200; run++) {
            double rate = new double[]{0.01, 0.3, 1, 2.5, 10, 100, 1000}[random.nextInt(7)];
            Machine machine = new Machine(rate);
            int calls = 200;
            long[] times = new long[calls];
            int[] granted = new int[calls];
            for (int i = 0; i < calls; i++) {
                machine.advance((long) (random.nextDouble() * 3 * SECOND / rate * random.nextInt(3)));
                times[i] = machine.now;
                granted[i] = machine.call(1 + random.nextInt(64)).granted();
            }
            double burst = Math.max(1, 2 * rate);
            for (int from = 0; from < calls; from++) {
                long sum = 0;
                for (int to = from; to < calls; to++) {
                    sum += granted[to];
                    double bound = Math.floor(burst + rate * (times[to] - times[from]) / SECOND + 1e-6);
                    if (sum > bound) {
                        assertThat("rate " + rate + ", calls " + from + "-" + to, (double) sum, lessThanOrEqualTo(bound));
                    }
                }
            }
        }
    }
}
