package dev.machineoidc.bridge.tokenfile;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.is;

import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(30)
class ExecutorSchedulerTest {

    @Test
    void closeInterruptsARunningTaskAndWaitsUntilItHasCleanedUp() throws Exception {
        CountDownLatch running = new CountDownLatch(1);
        AtomicBoolean cleanedUp = new AtomicBoolean();
        ExecutorScheduler scheduler = new ExecutorScheduler(1);
        scheduler.schedule(() -> {
            running.countDown();
            try {
                new CountDownLatch(1).await();
            } catch (InterruptedException e) {
                // What a refresh does when interrupted mid-write: remove its temp file, which takes a moment.
                long until = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(200);
                while (System.nanoTime() < until) {
                    Thread.onSpinWait();
                }
                cleanedUp.set(true);
            }
        }, Duration.ZERO);
        assertThat(running.await(5, TimeUnit.SECONDS), is(true));

        scheduler.close();

        assertThat("close returned only after the task ended", cleanedUp.get(), is(true));
    }
}
