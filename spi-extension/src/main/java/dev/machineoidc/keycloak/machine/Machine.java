package dev.machineoidc.keycloak.machine;

/**
 * A machine as Keycloak stores it: a client of the org realm whose internal id is the machine id and whose client id
 * is {@code machine:<name>@<app>}, so both lookups are Keycloak's own cached ones and names are unique per app by
 * Keycloak's constraint. Its attributes carry what the token says; claim values never come from the workload's request.
 */
public record Machine(String id, String name, String appId, String appName, String region, String image,
                      String imageDigest, String version, boolean enrolled) {

    public static String clientId(String appName, String machineName) {
        return "machine:" + machineName + "@" + appName;
    }

    public String clientId() {
        return clientId(appName, name);
    }
}
