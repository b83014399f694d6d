package dev.machineoidc.bridge.keycloak;

/** A Keycloak answer, already read in full. */
record KeycloakResponse(int status, String body) {

    boolean isServerError() {
        return status >= 500;
    }
}
