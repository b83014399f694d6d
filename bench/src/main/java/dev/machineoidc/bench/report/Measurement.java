package dev.machineoidc.bench.report;

/**
 * One measured window: one side (ours through the bridge, the client_credentials baseline, ...) at one
 * concurrency in one round. Latencies are of the successful requests; CPU is the Keycloak process's own
 * (user + system) over the window, divided by the tokens served in it.
 */
public record Measurement(String side, int concurrency, int round, long tokens, long errors, double seconds,
                          double p50Millis, double p99Millis, double p999Millis, double keycloakCpuMillisPerToken) {

    public double tokensPerSecond() {
        return tokens / seconds;
    }
}
