package dev.machineoidc.keycloak.admin;

import dev.machineoidc.keycloak.machine.Names;
import dev.machineoidc.keycloak.refusal.Refusal;

/**
 * The machines list's query: {@code first}, {@code max} and {@code search} (a name prefix). Read as text here, because
 * the runtime answers a query parameter that does not convert with a bare 404.
 */
record MachineListQuery(int first, int max, String namePrefix) {

    static final int DEFAULT_MAX = 100;
    static final int MAX_MAX = 1_000;
    /** Deep enough for any fleet an org runs, and it bounds what one request can make Keycloak walk. */
    static final int MAX_FIRST = 1_000_000;

    static MachineListQuery parse(String first, String max, String search) {
        return new MachineListQuery(
                number("first", first, 0, 0, MAX_FIRST),
                number("max", max, DEFAULT_MAX, 1, MAX_MAX),
                prefix(search));
    }

    private static int number(String name, String raw, int fallback, int min, int max) {
        if (raw == null || raw.isEmpty()) {
            return fallback;
        }
        if (raw.length() > 7 || !raw.chars().allMatch(c -> c >= '0' && c <= '9')) {
            throw invalid(name + " must be a whole number from " + min + " to " + max + ".");
        }
        int value = Integer.parseInt(raw);
        if (value < min || value > max) {
            throw invalid(name + " must be a whole number from " + min + " to " + max + ".");
        }
        return value;
    }

    private static String prefix(String search) {
        if (search == null || search.isEmpty()) {
            return null;
        }
        if (!Names.isValid(search)) {
            throw invalid("search is the start of a machine name: [a-z0-9][a-z0-9-]{0,62}.");
        }
        return search;
    }

    private static Refusal invalid(String message) {
        return Refusal.invalid("invalid_query", message);
    }
}
