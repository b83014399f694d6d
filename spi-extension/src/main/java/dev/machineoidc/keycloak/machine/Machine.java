package dev.machineoidc.keycloak.machine;

import java.time.Instant;

/**
 * A machine as Keycloak stores it: a client of the org realm whose internal id is the machine id and whose client id
 * is {@code machine:<name>@<app>}, so both lookups are Keycloak's own cached ones and names are unique per app by
 * Keycloak's constraint. Its attributes carry what the token says; claim values never come from the workload's request.
 * {@code created} is null for a machine made before its creation time was recorded.
 */
public record Machine(String id, String name, String appId, String appName, String region, String image,
                      String imageDigest, String version, boolean enrolled, boolean enabled, Instant created) {

    /** Every machine's client id starts so, and no app's does: names cannot hold a colon. */
    public static final String CLIENT_ID_PREFIX = "machine:";

    public static String clientId(String appName, String machineName) {
        return CLIENT_ID_PREFIX + machineName + "@" + appName;
    }

    public String clientId() {
        return clientId(appName, name);
    }
}
