package dev.machineoidc.bench;

import dev.machineoidc.bench.load.ClosedLoop;
import dev.machineoidc.bench.load.CpuMeters;
import dev.machineoidc.bench.load.Target;
import dev.machineoidc.bench.load.Window;
import java.time.Duration;

/** One way of getting a token that the benchmark compares, with what must be set before its windows. */
record Side(String name, Load load, Preparation prepare) {

    /** One closed-loop window of this side's load at a concurrency. */
    @FunctionalInterface
    interface Load {
        Window run(int concurrency, Duration ramp, Duration measured, CpuMeters meters) throws Exception;
    }

    @FunctionalInterface
    interface Preparation {
        void run() throws Exception;
    }

    /** Requests of one target from the load generator's HTTP client. */
    static Side of(String name, Target target) {
        return of(name, target, () -> { });
    }

    static Side of(String name, Target target, Preparation prepare) {
        return new Side(name, (concurrency, ramp, measured, meters) -> ClosedLoop.run(target, concurrency, ramp, measured, meters),
                prepare);
    }
}
