package dev.machineoidc.keycloak.machine;

/**
 * A machine as Keycloak stores it: the client {@code machine-<id>} of the org realm, whose attributes carry
 * what the token says about it. Claim values come from here, never from the workload's request.
 */
public record Machine(String id, String name, String appId, String appName, String region, String image,
                      String imageDigest, String version, boolean enrolled) {

    public static final String CLIENT_ID_PREFIX = "machine-";

    public String clientId() {
        return CLIENT_ID_PREFIX + id;
    }
}
