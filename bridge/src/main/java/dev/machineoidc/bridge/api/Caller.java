package dev.machineoidc.bridge.api;

/**
 * The process at the other end of the socket.
 *
 * @param description for the access log, e.g. {@code app:app}; never anything the caller sent
 * @param permitted whether it may ask for tokens
 */
public record Caller(String description, boolean permitted) {
}
