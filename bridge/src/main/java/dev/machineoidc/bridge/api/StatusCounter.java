package dev.machineoidc.bridge.api;

/** Counts the answers of the token endpoint by HTTP status (the bridge's metrics). */
@FunctionalInterface
public interface StatusCounter {

    void count(int status);
}
