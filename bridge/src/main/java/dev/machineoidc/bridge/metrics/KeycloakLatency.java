package dev.machineoidc.bridge.metrics;

import java.util.EnumMap;
import java.util.List;
import java.util.Map;

/** How long each HTTP call to a Keycloak node took, by how it ended. */
public final class KeycloakLatency {

    static final String NAME = "machine_oidc_bridge_keycloak_seconds";
    /** From a warm local mint (a few ms) up to past the 1.8 s a caller's request may take in all. */
    static final List<String> BUCKETS = List.of("0.001", "0.0025", "0.005", "0.01", "0.025", "0.05", "0.1", "0.25",
            "0.5", "1", "2.5");

    /** The {@code result} label. */
    public enum Result {
        /** 2xx: Keycloak answered (a batch may still hold refused items). */
        OK("ok"),
        /** Any other status below 500: Keycloak refused the call (e.g. 401 for an expired assertion, 403 revoked). */
        REFUSED("refused"),
        /** 5xx, from Keycloak or from a proxy in front of a missing node. */
        SERVER_ERROR("server_error"),
        /** No answer before the caller's deadline. */
        TIMEOUT("timeout"),
        /** No HTTP answer at all: connection refused or reset, name not resolved. */
        CONNECTION_FAILED("connection_failed");

        private final String label;

        Result(String label) {
            this.label = label;
        }

        public static Result forStatus(int status) {
            if (status >= 500) {
                return SERVER_ERROR;
            }
            return status >= 200 && status < 300 ? OK : REFUSED;
        }
    }

    private final Map<Result, Histogram> byResult = new EnumMap<>(Result.class);

    public KeycloakLatency() {
        for (Result result : Result.values()) {
            byResult.put(result, new Histogram(BUCKETS));
        }
    }

    public void record(Result result, long nanos) {
        byResult.get(result).observe(nanos);
    }

    void expose(Exposition out) {
        out.family(NAME, "histogram", "HTTP calls to Keycloak (each node tried is one call), by result.");
        byResult.forEach((result, histogram) -> histogram.expose(out, NAME, "result", result.label));
    }
}
