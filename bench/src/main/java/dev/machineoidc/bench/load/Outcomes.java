package dev.machineoidc.bench.load;

import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import org.eclipse.jetty.client.Result;

/**
 * Tallies the answers of one window: only those stamped between its start and end count, so warm-up traffic
 * before it and stragglers after it are left out.
 */
final class Outcomes {

    private final long start;
    private final long end;
    private final Latencies latencies = new Latencies();
    private final AtomicLong tokens = new AtomicLong();
    private final AtomicLong errors = new AtomicLong();
    private final AtomicReference<String> firstError = new AtomicReference<>("");

    Outcomes(long startNanos, long endNanos) {
        this.start = startNanos;
        this.end = endNanos;
    }

    /**
     * @param sentNanos when the request was sent (for a fixed rate, when it was due): its latency counts from then
     * @param stampNanos the time that decides whether it belongs to the window
     * @param failure empty when the answer held a token, else what went wrong
     */
    void complete(long sentNanos, long stampNanos, Optional<String> failure) {
        long now = System.nanoTime();
        if (stampNanos < start || stampNanos > end) {
            return;
        }
        if (failure.isEmpty()) {
            tokens.incrementAndGet();
            latencies.add(now - sentNanos);
        } else {
            error(failure.get());
        }
    }

    /** What is wrong with an HTTP client's answer for {@code target}: empty when it is a token. */
    static Optional<String> failure(Target target, Result result, String body) {
        if (result.isSucceeded() && result.getResponse().getStatus() == 200 && target.isToken(body)) {
            return Optional.empty();
        }
        return Optional.of(describe(result, body));
    }

    void error(String description) {
        errors.incrementAndGet();
        firstError.compareAndSet("", description);
    }

    Window window(Map<String, Duration> cpu) {
        return new Window(tokens.get(), errors.get(), firstError.get(), Duration.ofNanos(end - start), latencies, cpu);
    }

    /** Reads the meters at the window's start and end (run on the thread that started the load). */
    Map<String, Duration> meter(CpuMeters meters) throws InterruptedException {
        sleepUntil(start);
        Map<String, Duration> before = meters.read();
        sleepUntil(end);
        return CpuMeters.used(before, meters.read());
    }

    private static void sleepUntil(long nanoTime) throws InterruptedException {
        long wait = nanoTime - System.nanoTime();
        if (wait > 0) {
            TimeUnit.NANOSECONDS.sleep(wait);
        }
    }

    private static String describe(Result result, String body) {
        if (result.isFailed()) {
            return String.valueOf(result.getFailure());
        }
        String snippet = body.length() > 200 ? body.substring(0, 200) + "…" : body;
        return "HTTP " + result.getResponse().getStatus() + ": " + snippet;
    }
}
