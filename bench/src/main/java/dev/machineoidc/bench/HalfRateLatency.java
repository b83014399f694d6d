package dev.machineoidc.bench;

import dev.machineoidc.bench.load.Window;
import dev.machineoidc.bench.report.Median;
import java.util.List;

/** Latency through the socket at a steady half of our best rate: the medians over rounds. */
record HalfRateLatency(double requestsPerSecond, double tokensPerSecond, double p50Millis, double p99Millis,
                       double p999Millis, long errors) {

    static HalfRateLatency of(double requestsPerSecond, List<Window> rounds) {
        return new HalfRateLatency(requestsPerSecond,
                Median.of(rounds, Window::tokensPerSecond),
                Median.of(rounds, window -> window.latencies().percentileMillis(50)),
                Median.of(rounds, window -> window.latencies().percentileMillis(99)),
                Median.of(rounds, window -> window.latencies().percentileMillis(99.9)),
                rounds.stream().mapToLong(Window::errors).sum());
    }
}
