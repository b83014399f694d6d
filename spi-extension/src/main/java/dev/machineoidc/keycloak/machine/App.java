package dev.machineoidc.keycloak.machine;

/** An app of an org: a group of machines. Stored as a disabled client {@code app-<name>} of the org realm. */
public record App(String id, String name) {
}
