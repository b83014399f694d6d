package dev.machineoidc.bridge.keycloak;

import dev.machineoidc.bridge.json.JsonScalars;
import java.io.IOException;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * The {@code {"error","message"}} body of a Keycloak refusal, reduced to what may be shown to a
 * workload: a short code and a short printable message, or the given defaults.
 */
record KeycloakError(String code, String message) {

    private static final Pattern CODE = Pattern.compile("[a-z0-9_.-]{1,64}");
    private static final Pattern MESSAGE = Pattern.compile("[\\x20-\\x7e]{1,300}");

    static KeycloakError parse(String body, String defaultCode, String defaultMessage) {
        return of(objectOrEmpty(body), defaultCode, defaultMessage);
    }

    /** From an already parsed JSON object, e.g. one failed result of a batch. */
    static KeycloakError of(Map<String, Object> json, String defaultCode, String defaultMessage) {
        String code = JsonScalars.string(json, "error");
        String message = JsonScalars.string(json, "message");
        if (message == null) {
            message = JsonScalars.string(json, "error_description");
        }
        return new KeycloakError(
                code != null && CODE.matcher(code).matches() ? code : defaultCode,
                message != null && MESSAGE.matcher(message).matches() ? message : defaultMessage);
    }

    /** The body as a JSON object; empty when it is none (a proxy page, say), so the defaults apply. */
    static Map<String, Object> objectOrEmpty(String body) {
        try {
            return JsonScalars.parse(body);
        } catch (IOException e) {
            return Map.of();
        }
    }
}
