package dev.machineoidc.bridge.keycloak;

import com.nimbusds.jose.util.JSONObjectUtils;
import java.text.ParseException;
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
        String code = stringOrNull(json.get("error"));
        String message = stringOrNull(json.get("message"));
        if (message == null) {
            message = stringOrNull(json.get("error_description"));
        }
        return new KeycloakError(
                code != null && CODE.matcher(code).matches() ? code : defaultCode,
                message != null && MESSAGE.matcher(message).matches() ? message : defaultMessage);
    }

    /** The body as a JSON object; empty when it is none (a proxy page, say), so the defaults apply. */
    static Map<String, Object> objectOrEmpty(String body) {
        try {
            Map<String, Object> json = JSONObjectUtils.parse(body);
            return json != null ? json : Map.of();
        } catch (ParseException e) {
            return Map.of();
        }
    }

    private static String stringOrNull(Object value) {
        return value instanceof String s ? s : null;
    }
}
