package dev.machineoidc.bridge.keycloak;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.not;
import static org.junit.jupiter.api.Assertions.assertThrows;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.nimbusds.jose.jwk.ECKey;
import dev.machineoidc.bridge.identity.EnrollmentException;
import dev.machineoidc.bridge.identity.MachineKeys;
import dev.machineoidc.bridge.identity.Registration;
import dev.machineoidc.bridge.testing.FakeKeycloak;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(60)
class KeycloakRegistrarTest {

    private static final String MACHINE = "148e21ea7e46e8";

    private final ECKey key = MachineKeys.generate();
    private FakeKeycloak keycloak;
    private KeycloakTransport transport;
    private KeycloakRegistrar registrar;

    @BeforeEach
    void start() throws Exception {
        keycloak = FakeKeycloak.start("acme", MACHINE);
        transport = KeycloakTransport.start(List.of(keycloak.baseUrl()), Duration.ofSeconds(1));
        registrar = new KeycloakRegistrar(transport, "acme", MACHINE, Duration.ofSeconds(5));
    }

    @AfterEach
    void stop() throws Exception {
        transport.close();
        keycloak.close();
    }

    @Test
    void sendsThePublicKeyOnlyAndReadsTheAnswer() throws Exception {
        Registration registration = registrar.register(FakeKeycloak.ENROLLMENT_TOKEN, key.toPublicJWK());

        assertThat(registration.clientId(), equalTo("machine-" + MACHINE));
        JsonNode sent = new ObjectMapper().readTree(keycloak.enrollBodies().get(0));
        assertThat(sent.path("machine_id").asText(), equalTo(MACHINE));
        JsonNode jwk = sent.path("jwk");
        assertThat(jwk.path("kid").asText(), equalTo(key.getKeyID()));
        assertThat(jwk.path("crv").asText(), equalTo("P-256"));
        assertThat("no private part", jwk.has("d"), equalTo(false));
    }

    @Test
    void aRefusedTokenIsExplainedWithoutRepeatingIt() {
        EnrollmentException e = assertThrows(EnrollmentException.class,
                () -> registrar.register("wrong-token-value", key.toPublicJWK()));

        assertThat(e.getMessage(), containsString("enrollment token was refused"));
        assertThat(e.getMessage(), not(containsString("wrong-token-value")));
    }

    @Test
    void anUnknownMachineIsNamed() {
        keycloak.scriptEnroll(404, "{\"error\":\"not_found\",\"message\":\"no such machine\"}");

        EnrollmentException e = assertThrows(EnrollmentException.class,
                () -> registrar.register(FakeKeycloak.ENROLLMENT_TOKEN, key.toPublicJWK()));

        assertThat(e.getMessage(), containsString(MACHINE));
    }

    @Test
    void anAnswerThatStillNamesTheMintEndpointIsReadLikeOneWithoutIt() throws Exception {
        keycloak.scriptEnroll(200, "{\"client_id\":\"machine-x\",\"mint_endpoint\":\"https://kc.example/realms/acme/machine-oidc/mint\"}");

        assertThat(registrar.register(FakeKeycloak.ENROLLMENT_TOKEN, key.toPublicJWK()).clientId(), equalTo("machine-x"));
    }

    @Test
    void anUnusableAnswerIsAnError() {
        keycloak.scriptEnroll(200, "{\"clientId\":\"machine-x\"}");

        assertThrows(EnrollmentException.class, () -> registrar.register(FakeKeycloak.ENROLLMENT_TOKEN, key.toPublicJWK()));
    }

    @Test
    void aPrivateKeyIsNeverSent() {
        assertThrows(IllegalArgumentException.class, () -> registrar.register(FakeKeycloak.ENROLLMENT_TOKEN, key));
        assertThat(keycloak.enrollCalls(), equalTo(0));
    }

    @Test
    void anUnreachableKeycloakIsReported() throws Exception {
        keycloak.close();

        EnrollmentException e = assertThrows(EnrollmentException.class,
                () -> registrar.register(FakeKeycloak.ENROLLMENT_TOKEN, key.toPublicJWK()));

        assertThat(e.getMessage(), containsString("unreachable"));
    }
}
