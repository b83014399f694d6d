package dev.machineoidc.bridge.tokenfile;

import java.time.Duration;

/** Runs a task once after a delay; tests replace it with one that runs on demand. */
public interface Scheduler {

    void schedule(Runnable task, Duration delay);
}
