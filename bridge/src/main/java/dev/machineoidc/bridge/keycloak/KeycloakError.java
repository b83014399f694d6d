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
        String code = null;
        String message = null;
        try {
            Map<String, Object> json = JSONObjectUtils.parse(body);
            code = stringOrNull(json.get("error"));
            message = stringOrNull(json.get("message"));
            if (message == null) {
                message = stringOrNull(json.get("error_description"));
            }
        } catch (ParseException e) {
            // Not JSON (a proxy page, say): the defaults will do.
        }
        return new KeycloakError(
                code != null && CODE.matcher(code).matches() ? code : defaultCode,
                message != null && MESSAGE.matcher(message).matches() ? message : defaultMessage);
    }

    private static String stringOrNull(Object value) {
        return value instanceof String s ? s : null;
    }
}
