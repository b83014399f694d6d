package dev.machineoidc.bridge.keycloak;

/** No Keycloak answered in time. */
final class KeycloakUnavailableException extends Exception {

    KeycloakUnavailableException(String message) {
        super(message, null, false, false);
    }
}
