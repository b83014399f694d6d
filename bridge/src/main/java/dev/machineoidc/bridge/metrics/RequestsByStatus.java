package dev.machineoidc.bridge.metrics;

import dev.machineoidc.bridge.api.StatusCounter;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.concurrent.atomic.LongAdder;

/** Answers of the token endpoint by HTTP status; only the bridge's own few statuses ever appear. */
public final class RequestsByStatus implements StatusCounter {

    static final String NAME = "machine_oidc_bridge_requests_total";

    private final ConcurrentMap<Integer, LongAdder> counts = new ConcurrentHashMap<>();

    @Override
    public void count(int status) {
        counts.computeIfAbsent(status, s -> new LongAdder()).increment();
    }

    void expose(Exposition out) {
        out.family(NAME, "counter",
                "Answers of POST /v1/tokens/oidc (and of unknown paths on the socket), by HTTP status.");
        for (Map.Entry<Integer, LongAdder> entry : new TreeMap<>(counts).entrySet()) {
            out.sample(NAME, Long.toString(entry.getValue().sum()), "status", entry.getKey().toString());
        }
    }
}
