package dev.machineoidc.bridge.metrics;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.List;
import org.junit.jupiter.api.Test;

class HistogramTest {

    private static final long MS = 1_000_000;

    @Test
    void bucketsAreCumulativeInclusiveOfTheirBoundWithSumAndCount() {
        Histogram histogram = new Histogram(List.of("0.005", "0.01", "1"));
        histogram.observe(2 * MS);
        histogram.observe(5 * MS);
        histogram.observe(5 * MS + 1);
        histogram.observe(500 * MS);
        histogram.observe(3_000 * MS);

        Exposition out = new Exposition();
        histogram.expose(out, "t_seconds", "result", "ok");

        assertThat(out.text(), equalTo("""
                t_seconds_bucket{result="ok",le="0.005"} 2
                t_seconds_bucket{result="ok",le="0.01"} 3
                t_seconds_bucket{result="ok",le="1"} 4
                t_seconds_bucket{result="ok",le="+Inf"} 5
                t_seconds_sum{result="ok"} 3.512000001
                t_seconds_count{result="ok"} 5
                """));
    }

    @Test
    void anEmptyHistogramShowsZeros() {
        Exposition out = new Exposition();
        new Histogram(List.of("0.1")).expose(out, "t_seconds");

        assertThat(out.text(), equalTo("""
                t_seconds_bucket{le="0.1"} 0
                t_seconds_bucket{le="+Inf"} 0
                t_seconds_sum 0
                t_seconds_count 0
                """));
    }

    @Test
    void boundsMustAscend() {
        assertThrows(IllegalArgumentException.class, () -> new Histogram(List.of("0.1", "0.1")));
    }
}
