package dev.machineoidc.bridge.keycloak;

import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jose.util.JSONObjectUtils;
import dev.machineoidc.bridge.identity.EnrollmentException;
import dev.machineoidc.bridge.identity.Registrar;
import dev.machineoidc.bridge.identity.Registration;
import java.text.ParseException;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;

/** Enrollment against {@code POST /realms/{org}/machine-oidc/enroll}. */
public final class KeycloakRegistrar implements Registrar {

    private final KeycloakTransport transport;
    private final String enrollPath;
    private final String org;
    private final String machineId;
    private final Duration timeout;

    public KeycloakRegistrar(KeycloakTransport transport, String org, String machineId, Duration timeout) {
        this.transport = transport;
        this.enrollPath = "realms/" + org + "/machine-oidc/enroll";
        this.org = org;
        this.machineId = machineId;
        this.timeout = timeout;
    }

    @Override
    public Registration register(String enrollmentToken, JWK publicKey) throws EnrollmentException {
        if (publicKey.isPrivate()) {
            throw new IllegalArgumentException("only the public key is sent to Keycloak");
        }
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("machine_id", machineId);
        body.put("enrollment_token", enrollmentToken);
        body.put("jwk", publicKey.toJSONObject());
        KeycloakResponse response;
        try {
            response = transport.post(enrollPath, "application/json", JSONObjectUtils.toJSONString(body), null,
                    Deadline.after(timeout));
        } catch (KeycloakUnavailableException e) {
            throw new EnrollmentException("cannot enroll: Keycloak is unreachable");
        }
        return switch (response.status()) {
            case 200 -> parse(response.body());
            case 401 -> throw new EnrollmentException("the enrollment token was refused: unknown, already used, "
                    + "expired, or issued for another machine; ask an admin for a new one");
            case 404 -> throw new EnrollmentException("Keycloak knows no machine " + machineId + " in org " + org);
            default -> {
                KeycloakError error = KeycloakError.parse(response.body(), "http_" + response.status(), "");
                throw new EnrollmentException("Keycloak refused the enrollment (HTTP " + response.status() + ", "
                        + error.code() + (error.message().isEmpty() ? "" : ": " + error.message()) + ")");
            }
        };
    }

    private static Registration parse(String body) throws EnrollmentException {
        try {
            Map<String, Object> json = JSONObjectUtils.parse(body);
            return new Registration(required(json, "client_id"));
        } catch (ParseException e) {
            throw new EnrollmentException("Keycloak's enrollment answer is unusable: " + e.getMessage());
        }
    }

    private static String required(Map<String, Object> json, String name) throws ParseException {
        String value = JSONObjectUtils.getString(json, name);
        if (value == null || value.isEmpty()) {
            throw new ParseException("missing " + name, 0);
        }
        return value;
    }
}
