package dev.machineoidc.bench.load;

import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.eclipse.jetty.client.BufferingResponseListener;
import org.eclipse.jetty.client.Result;

/**
 * A fixed number of callers, each sending its next request as soon as its last one is answered — the load a
 * pool of busy workloads puts on its token source. A ramp at the same concurrency precedes the measured window
 * so that it starts in a steady state.
 */
public final class ClosedLoop {

    private static final int MAX_BODY_BYTES = 64 * 1024;
    private static final Duration DRAIN = Duration.ofSeconds(30);

    private ClosedLoop() {
    }

    public static Window run(Target target, int concurrency, Duration ramp, Duration measured, CpuMeters meters)
            throws InterruptedException {
        long start = System.nanoTime() + ramp.toNanos();
        long end = start + measured.toNanos();
        Outcomes outcomes = new Outcomes(start, end);
        CountDownLatch callersDone = new CountDownLatch(concurrency);
        for (int i = 0; i < concurrency; i++) {
            sendNext(target, outcomes, end, callersDone);
        }
        Map<String, Duration> cpu = outcomes.meter(meters);
        if (!callersDone.await(measured.plus(ramp).plus(DRAIN).toMillis(), TimeUnit.MILLISECONDS)) {
            throw new IllegalStateException("requests still unanswered " + DRAIN.toSeconds() + " s after the window");
        }
        return outcomes.window(cpu);
    }

    private static void sendNext(Target target, Outcomes outcomes, long end, CountDownLatch callersDone) {
        long sent = System.nanoTime();
        target.newRequest().send(new BufferingResponseListener(MAX_BODY_BYTES) {
            @Override
            public void onComplete(Result result) {
                long now = System.nanoTime();
                outcomes.complete(sent, now, Outcomes.failure(target, result, getContentAsString()));
                if (now < end) {
                    sendNext(target, outcomes, end, callersDone);
                } else {
                    callersDone.countDown();
                }
            }
        });
    }
}
