package dev.machineoidc.bench.load;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Supplier;

/**
 * The CPU clocks of the processes under test (Keycloak, the bridge), read at a window's start and end so that
 * each process's CPU per token is known apart from the load generator's.
 */
public final class CpuMeters {

    private final Map<String, Supplier<Duration>> clocks = new LinkedHashMap<>();

    public CpuMeters add(String process, Supplier<Duration> cpuTime) {
        clocks.put(process, cpuTime);
        return this;
    }

    Map<String, Duration> read() {
        Map<String, Duration> now = new LinkedHashMap<>();
        clocks.forEach((process, clock) -> now.put(process, clock.get()));
        return now;
    }

    static Map<String, Duration> used(Map<String, Duration> before, Map<String, Duration> after) {
        Map<String, Duration> used = new LinkedHashMap<>();
        before.forEach((process, start) -> used.put(process, after.get(process).minus(start)));
        return used;
    }
}
