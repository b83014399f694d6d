package dev.machineoidc.bridge.keycloak;

import com.nimbusds.jose.jwk.JWK;
import dev.machineoidc.bridge.identity.EnrollmentException;
import dev.machineoidc.bridge.identity.Registrar;
import dev.machineoidc.bridge.identity.Registration;
import dev.machineoidc.bridge.json.JsonScalars;
import dev.machineoidc.bridge.json.JsonWriter;
import java.io.IOException;
import java.time.Duration;

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
        KeycloakResponse response;
        try {
            response = transport.post(enrollPath, "application/json", body(enrollmentToken, publicKey), null,
                    AnswerDeadline.after(timeout));
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

    private String body(String enrollmentToken, JWK publicKey) {
        return JsonWriter.text(json -> {
            json.writeStartObject();
            json.writeStringField("machine_id", machineId);
            json.writeStringField("enrollment_token", enrollmentToken);
            json.writeFieldName("jwk");
            json.writeRawValue(publicKey.toJSONString());
            json.writeEndObject();
        });
    }

    /** Reads only {@code client_id}: fields Keycloak adds or drops beside it (e.g. endpoints) change nothing here. */
    private static Registration parse(String body) throws EnrollmentException {
        String clientId;
        try {
            clientId = JsonScalars.string(JsonScalars.parse(body), "client_id");
        } catch (IOException e) {
            throw new EnrollmentException("Keycloak's enrollment answer is unusable: not a JSON object");
        }
        if (clientId == null || clientId.isEmpty()) {
            throw new EnrollmentException("Keycloak's enrollment answer is unusable: missing client_id");
        }
        return new Registration(clientId);
    }
}
