package dev.machineoidc.bench.load;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.greaterThan;
import static org.hamcrest.Matchers.is;

import java.io.IOException;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class BlockingClosedLoopTest {

    private static final Duration WINDOW = Duration.ofMillis(200);
    private final AtomicInteger closed = new AtomicInteger();

    private BlockingClosedLoop.Worker worker(boolean succeeds) {
        return new BlockingClosedLoop.Worker() {
            @Override
            public void mintOne() throws IOException, InterruptedException {
                Thread.sleep(1); // a few hundred answers per window, not millions
                if (!succeeds) {
                    throw new IOException("connection refused");
                }
            }

            @Override
            public void close() {
                closed.incrementAndGet();
            }
        };
    }

    @Test
    void everyAnswerInTheWindowIsATokenOrAnErrorAndEveryWorkerIsClosed() throws InterruptedException {
        Window tokens = BlockingClosedLoop.run(() -> worker(true), 3, Duration.ZERO, WINDOW, new CpuMeters());
        assertThat(tokens.tokens(), greaterThan(0L));
        assertThat(tokens.errors(), is(0L));
        assertThat(tokens.latencies().size(), is((int) tokens.tokens()));

        Window errors = BlockingClosedLoop.run(() -> worker(false), 3, Duration.ZERO, WINDOW, new CpuMeters());
        assertThat(errors.tokens(), is(0L));
        assertThat(errors.errors(), greaterThan(0L));
        assertThat(errors.firstError(), is("java.io.IOException: connection refused"));
        assertThat(closed.get(), is(6));
    }

    @Test
    void eachWorkerThatCannotOpenIsOneError() throws InterruptedException {
        Window window = BlockingClosedLoop.run(() -> {
            throw new IOException("no route to host");
        }, 2, Duration.ZERO, WINDOW, new CpuMeters());

        assertThat(window.tokens(), is(0L));
        assertThat(window.errors(), is(2L));
        assertThat(window.firstError(), containsString("no route to host"));
    }
}
