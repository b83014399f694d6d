package dev.machineoidc.keycloak.org;

import java.util.regex.Pattern;

/** The audience rule of the socket API: 1-256 printable ASCII characters. */
public final class Audiences {

    private static final Pattern AUDIENCE = Pattern.compile("[\\x20-\\x7e]{1,256}");

    private Audiences() {
    }

    public static boolean isValid(String audience) {
        return audience != null && AUDIENCE.matcher(audience).matches();
    }
}
