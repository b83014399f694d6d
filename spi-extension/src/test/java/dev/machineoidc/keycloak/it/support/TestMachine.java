package dev.machineoidc.keycloak.it.support;

import dev.machineoidc.arquillian.JsonResponse;

import com.fasterxml.jackson.databind.JsonNode;
import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.jwk.Curve;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.gen.ECKeyGenerator;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;

import java.io.IOException;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.text.ParseException;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.UUID;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.is;

/**
 * Plays the bridge's side of docs/bridge-protocol.md against the real server: enrolls a fresh key, signs mint
 * assertions with it and mints. The bridge module has its own production client; this one keeps the
 * extension's tests independent of it.
 */
public final class TestMachine {

    private final Keycloak keycloak;
    private final String org;
    private final String machineId;
    private String enrollmentToken;
    private ECKey key;
    private String clientId;
    private String assertion;

    TestMachine(Keycloak keycloak, String org, JsonNode created) {
        this(keycloak, org, created.get("machine_id").asText(), created.get("enrollment_token").asText());
    }

    private TestMachine(Keycloak keycloak, String org, String machineId, String enrollmentToken) {
        this.keycloak = keycloak;
        this.org = org;
        this.machineId = machineId;
        this.enrollmentToken = enrollmentToken;
    }

    /** The same enrolled machine (its key and client, no new enrollment) talking to another server of the org. */
    public TestMachine on(Keycloak other) {
        TestMachine moved = new TestMachine(other, org, machineId, enrollmentToken);
        moved.key = key;
        moved.clientId = clientId;
        return moved;
    }

    public String org() {
        return org;
    }

    public String machineId() {
        return machineId;
    }

    public String enrollmentToken() {
        return enrollmentToken;
    }

    public TestMachine withEnrollmentToken(String token) {
        this.enrollmentToken = token;
        return this;
    }

    public JsonResponse tryEnroll() {
        try {
            key = new ECKeyGenerator(Curve.P_256).keyIDFromThumbprint(true).generate();
        } catch (JOSEException e) {
            throw new IllegalStateException(e);
        }
        return keycloak.http().json("POST", realmUrl() + "/machine-oidc/enroll", null, Map.of(
                "machine_id", machineId, "enrollment_token", enrollmentToken,
                "jwk", Http.JSON.convertValue(key.toPublicJWK().toJSONObject(), Map.class)));
    }

    public TestMachine enroll() {
        JsonResponse answer = tryEnroll();
        assertThat(answer.body(), answer.status(), is(200));
        clientId = answer.json().get("client_id").asText();
        return this;
    }

    public String clientId() {
        return clientId;
    }

    public ECKey key() {
        return key;
    }

    /** Signs a new mint assertion that the following mints send. */
    public TestMachine signAssertion() {
        assertion = MintAssertions.sign(key, clientId, org);
        return this;
    }

    /** Keycloak's own token endpoint with the machine's key, as a client assertion: machines get no Keycloak tokens. */
    public JsonResponse tryClientCredentials() {
        JWTClaimsSet claims = MintAssertions.claims(clientId, realmUrl(), Instant.now(), Duration.ofSeconds(60));
        String clientAssertion = MintAssertions.sign(key, "JWT", new JWTClaimsSet.Builder(claims).jwtID(UUID.randomUUID().toString()).build());
        return keycloak.http().form(realmUrl() + "/protocol/openid-connect/token",
                "grant_type=client_credentials&client_id=" + URLEncoder.encode(clientId, StandardCharsets.UTF_8)
                        + "&client_assertion_type=urn%3Aietf%3Aparams%3Aoauth%3Aclient-assertion-type%3Ajwt-bearer"
                        + "&client_assertion=" + clientAssertion);
    }

    /** A mint of one token ({@link MintOfOne}) with this assertion instead of the machine's own. */
    public JsonResponse tryMintWith(String otherAssertion, String body) {
        return MintOfOne.answer(keycloak.http().send("POST", realmUrl() + "/machine-oidc/tokens", otherAssertion,
                "application/json", MintOfOne.body(body)));
    }

    public JsonResponse tryMint(String body) {
        return tryMintWith(assertion, body);
    }

    public JsonResponse tryMintBatch(String body) {
        return keycloak.http().send("POST", realmUrl() + "/machine-oidc/tokens", assertion, "application/json", body);
    }

    /** Mints one token and returns the JWT, asserting it was minted. */
    public String mint(String body) {
        JsonResponse answer = tryMint(body);
        assertThat(answer.body(), answer.status(), is(200));
        return answer.body();
    }

    /** The payload exactly as sent (JSON types kept: a string {@code aud} stays a string). */
    @SuppressWarnings("unchecked")
    public static Map<String, Object> claims(String jwt) {
        try {
            return Http.JSON.readValue(SignedJWT.parse(jwt).getPayload().toString(), Map.class);
        } catch (ParseException | IOException e) {
            throw new AssertionError("not a JWT: " + jwt, e);
        }
    }

    private String realmUrl() {
        return keycloak.baseUrl() + "/realms/" + org;
    }
}
