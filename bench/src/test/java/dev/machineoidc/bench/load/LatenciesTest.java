package dev.machineoidc.bench.load;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.closeTo;
import static org.hamcrest.Matchers.is;

import org.junit.jupiter.api.Test;

class LatenciesTest {

    @Test
    void nearestRankPercentilesInMilliseconds() {
        Latencies latencies = new Latencies();
        for (int millis = 100; millis >= 1; millis--) {
            latencies.add(millis * 1_000_000L);
        }
        assertThat(latencies.size(), is(100));
        assertThat(latencies.percentileMillis(50), closeTo(50, 1e-9));
        assertThat(latencies.percentileMillis(99), closeTo(99, 1e-9));
        assertThat(latencies.percentileMillis(99.9), closeTo(100, 1e-9));
        assertThat(latencies.percentileMillis(0), closeTo(1, 1e-9));
    }

    @Test
    void growsBeyondItsFirstArray() {
        Latencies latencies = new Latencies();
        for (int i = 0; i < 5000; i++) {
            latencies.add(1_000_000L);
        }
        latencies.add(9_000_000L);
        assertThat(latencies.size(), is(5001));
        assertThat(latencies.percentileMillis(100), closeTo(9, 1e-9));
    }

    @Test
    void nothingRecordedIsNotANumber() {
        assertThat(Double.isNaN(new Latencies().percentileMillis(99)), is(true));
    }
}
