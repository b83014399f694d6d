package dev.machineoidc.bench.load;

import java.time.Duration;
import java.util.Map;

/**
 * What one measured window saw: tokens are the successful answers that completed inside it, errors every other
 * outcome (a status other than 200, a body without a token, a transport failure, a request the generator dropped);
 * {@code firstError} describes the first of them, empty when there was none. {@code cpu} is what each measured
 * process used over the window.
 */
public record Window(long tokens, long errors, String firstError, Duration length, Latencies latencies,
                     Map<String, Duration> cpu) {

    public double tokensPerSecond() {
        return tokens / seconds();
    }

    /** CPU milliseconds per token of one measured process; NaN without tokens. */
    public double cpuMillisPerToken(String process) {
        return tokens == 0 ? Double.NaN : cpu.get(process).toNanos() / 1e6 / tokens;
    }

    public double seconds() {
        return length.toNanos() / 1e9;
    }
}
