package dev.machineoidc.bench.load;

import java.time.Duration;
import java.util.Map;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import org.eclipse.jetty.client.BufferingResponseListener;
import org.eclipse.jetty.client.Result;

/**
 * Requests at a steady rate whether or not earlier ones were answered — the latency a workload sees at a given
 * load. Each latency counts from when its request was due, not when it was sent, so a stall is not hidden by
 * the requests it held back (coordinated omission). More than {@code maxInFlight} unanswered requests count
 * the due one as an error instead of piling up without bound. A request belongs to the window it was due in.
 */
public final class FixedRate {

    private static final int MAX_BODY_BYTES = 64 * 1024;
    private static final Duration DRAIN = Duration.ofSeconds(30);

    private FixedRate() {
    }

    public static Window run(Target target, double perSecond, int maxInFlight, Duration ramp, Duration measured,
                             CpuMeters meters) throws InterruptedException {
        long interval = Math.max(1, Math.round(1e9 / perSecond));
        long first = System.nanoTime();
        long start = first + ramp.toNanos();
        long end = start + measured.toNanos();
        Outcomes outcomes = new Outcomes(start, end);
        Semaphore inFlight = new Semaphore(maxInFlight);
        Map<String, Duration> before = null;
        for (long due = first; due < end; due += interval) {
            long wait = due - System.nanoTime();
            if (wait > 0) {
                LockSupport.parkNanos(wait);
            }
            if (before == null && due >= start) {
                before = meters.read();
            }
            if (!inFlight.tryAcquire()) {
                if (due >= start) {
                    outcomes.error("more than " + maxInFlight + " requests unanswered");
                }
                continue;
            }
            long sentAsDue = due;
            target.newRequest().send(new BufferingResponseListener(MAX_BODY_BYTES) {
                @Override
                public void onComplete(Result result) {
                    outcomes.complete(sentAsDue, sentAsDue, Outcomes.failure(target, result, getContentAsString()));
                    inFlight.release();
                }
            });
        }
        long wait = end - System.nanoTime();
        if (wait > 0) {
            TimeUnit.NANOSECONDS.sleep(wait);
        }
        Map<String, Duration> cpu = CpuMeters.used(before == null ? meters.read() : before, meters.read());
        if (!inFlight.tryAcquire(maxInFlight, DRAIN.toMillis(), TimeUnit.MILLISECONDS)) {
            throw new IllegalStateException("requests still unanswered " + DRAIN.toSeconds() + " s after the window");
        }
        return outcomes.window(cpu);
    }
}
