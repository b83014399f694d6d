package dev.machineoidc.bridge.tokenfile;

import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;

/** Virtual time: records each requested delay and runs the next task only when the test says so. */
final class FakeScheduler implements Scheduler {

    final List<Duration> delays = new ArrayList<>();
    private final Deque<Runnable> pending = new ArrayDeque<>();

    @Override
    public void schedule(Runnable task, Duration delay) {
        delays.add(delay);
        pending.add(task);
    }

    void runNext() {
        pending.remove().run();
    }

    Duration lastDelay() {
        return delays.get(delays.size() - 1);
    }
}
