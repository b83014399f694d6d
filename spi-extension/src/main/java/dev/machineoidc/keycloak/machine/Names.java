package dev.machineoidc.keycloak.machine;


import dev.machineoidc.keycloak.refusal.Refusal;
import java.util.regex.Pattern;

/** The naming rule shared by orgs, apps and machines: they end up in {@code sub} and in URLs. */
public final class Names {

    private static final Pattern NAME = Pattern.compile("[a-z0-9][a-z0-9-]{0,62}");

    private Names() {
    }

    public static boolean isValid(String name) {
        return name != null && NAME.matcher(name).matches();
    }

    /** @return the name, or a 400 saying what is wrong with it */
    public static String require(String kind, String name) {
        if (!isValid(name)) {
            throw Refusal.invalid("invalid_name", "The " + kind + " name must match [a-z0-9][a-z0-9-]{0,62}.");
        }
        return name;
    }
}
