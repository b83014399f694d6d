package dev.machineoidc.keycloak.it;

import com.fasterxml.jackson.databind.JsonNode;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import dev.machineoidc.arquillian.JsonResponse;
import dev.machineoidc.keycloak.it.support.Keycloak;
import dev.machineoidc.keycloak.it.support.TestMachine;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.function.Function;
import dev.machineoidc.testing.ContractClaims;
import dev.machineoidc.testing.Discovery;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.everyItem;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.hasItems;
import static org.hamcrest.Matchers.is;
import static org.hamcrest.Matchers.matchesPattern;
import static org.hamcrest.Matchers.not;
import static org.hamcrest.Matchers.notNullValue;

/** Machine tokens minted by the real server, issuer = Keycloak's own realm issuer. */
class MintIT extends ProviderDeployment {

    private static String org() {
        return "org-" + UUID.randomUUID().toString().substring(0, 8);
    }

    @Test
    void tokenCarriesExactlyTheContractClaimsAndVerifiesThroughDiscovery() throws Exception {
        String org = org();
        TestMachine machine = keycloak.provision(admin, org, "example-app", "example-machine").enroll().openSession();

        String jwt = machine.mint("{\"aud\":\"sts.amazonaws.com\"}");

        SignedJWT parsed = SignedJWT.parse(jwt);
        assertThat(parsed.getHeader().getAlgorithm(), is(JWSAlgorithm.RS256));
        assertThat(parsed.getHeader().getKeyID(), notNullValue());
        assertThat(parsed.getHeader().getType().getType(), is("JWT"));
        JWTClaimsSet claims = Discovery.verify(jwt);
        assertThat(claims.getClaims().keySet(), equalTo(ContractClaims.NAMES));
        assertThat(claims.getIssuer(), is(keycloak.baseUrl() + "/realms/" + org));
        assertThat(claims.getSubject(), is(org + ":example-app:example-machine"));
        assertThat("aud is a single string", TestMachine.claims(jwt).get("aud"), is("sts.amazonaws.com"));
        long iat = claims.getIssueTime().getTime() / 1000;
        assertThat(claims.getExpirationTime().getTime() / 1000 - iat, is(600L));
        assertThat(claims.getNotBeforeTime().getTime() / 1000, is(iat));
        assertThat(claims.getStringClaim("org_name"), is(org));
        assertThat(claims.getStringClaim("app_name"), is("example-app"));
        assertThat(claims.getStringClaim("machine_name"), is("example-machine"));
        assertThat(claims.getStringClaim("machine_id"), is(machine.machineId()));
        assertThat(claims.getStringClaim("machine_id"), matchesPattern("[0-9a-f]{14}"));
        assertThat(claims.getStringClaim("machine_version"), matchesPattern("[0-9A-HJKMNP-TV-Z]{26}"));
        assertThat(claims.getStringClaim("region"), is("sea"));
        assertThat(claims.getStringClaim("image_digest"), matchesPattern("sha256:[0-9a-f]{64}"));
        assertThat(UUID.fromString(claims.getJWTID()), notNullValue());
        assertThat(machine.clientId(), is("machine:example-machine@example-app"));
    }

    @Test
    void everyCallGivesAFreshJtiAndTheDefaultAudienceIsTheIssuer() {
        String org = org();
        TestMachine machine = keycloak.provision(admin, org, "app", "m").enroll().openSession();

        Map<String, Object> first = TestMachine.claims(machine.mint(""));
        Map<String, Object> second = TestMachine.claims(machine.mint("{}"));

        assertThat(first.get("jti"), not(equalTo(second.get("jti"))));
        assertThat(first.get("aud"), is(keycloak.baseUrl() + "/realms/" + org));
    }

    @Test
    void awsPrincipalTagsOnlyWhenAsked() {
        TestMachine machine = keycloak.provision(admin, org(), "app", "m").enroll().openSession();

        Map<String, Object> plain = TestMachine.claims(machine.mint("{\"aud\":\"sts.amazonaws.com\",\"aws_principal_tags\":false}"));
        Map<String, Object> tagged = TestMachine.claims(machine.mint("{\"aud\":\"sts.amazonaws.com\",\"aws_principal_tags\":true}"));

        assertThat(plain.containsKey("https://aws.amazon.com/tags"), is(false));
        @SuppressWarnings("unchecked")
        Map<String, Object> tags = (Map<String, Object>) tagged.get("https://aws.amazon.com/tags");
        @SuppressWarnings("unchecked")
        Map<String, Object> principalTags = (Map<String, Object>) tags.get("principal_tags");
        assertThat(principalTags.keySet(), equalTo(Set.of("app_id", "app_name", "machine_id", "org_id", "org_name", "region")));
        assertThat(principalTags.get("machine_id"), is(List.of(machine.machineId())));
        assertThat(tags.get("transitive_tag_keys"), is(List.of()));
    }

    @Test
    void badRequestsGetContractErrors() {
        TestMachine machine = keycloak.provision(admin, org(), "app", "m").enroll().openSession();

        assertError(machine.tryMint("{\"aud\":"), 400, "invalid_json");
        assertError(machine.tryMint("[1]"), 400, "invalid_json");
        assertError(machine.tryMint("{\"aud\":42}"), 400, "invalid_request");
        assertError(machine.tryMint("{\"aud\":\"" + "a".repeat(257) + "\"}"), 400, "invalid_audience");
        assertError(machine.tryMint("{\"aud\":\"\"}"), 400, "invalid_audience");
        assertError(machine.tryMint("{\"aws_principal_tags\":\"yes\"}"), 400, "invalid_request");
        JsonResponse noSession = keycloak.http().send("POST", keycloak.baseUrl() + "/realms/master/machine-oidc/token",
                null, "application/json", "{}");
        assertThat(noSession.status(), is(404));
    }

    @Test
    void enrollmentTokenIsSingleUseAndANewOneReplacesTheKey() {
        TestMachine machine = keycloak.provision(admin, org(), "app", "m");
        String token = machine.enrollmentToken();
        machine.enroll().openSession();

        assertError(machine.withEnrollmentToken(token).tryEnroll(), 401, "invalid_enrollment_token");
        assertError(machine.withEnrollmentToken("not-a-token").tryEnroll(), 401, "invalid_enrollment_token");
    }

    @Test
    void reEnrollmentReplacesTheKeyAndEndsOldSessions() {
        String org = org();
        TestMachine machine = keycloak.provision(admin, org, "app", "m").enroll().openSession();
        JsonResponse renewed = keycloak.http().json("POST",
                keycloak.admin(org, "/machine-oidc/apps/app/machines/" + machine.machineId() + "/enrollment"), admin, "");
        assertThat(renewed.body(), renewed.status(), is(201));
        TestMachine old = machine;
        JsonResponse stillWorks = old.tryMint("{}");
        assertThat("the old key works until re-enrollment", stillWorks.status(), is(200));

        machine.withEnrollmentToken(renewed.json().get("enrollment_token").asText()).enroll();

        assertError(machine.tryMint("{}"), 401, "invalid_token");
        machine.openSession();
        assertThat(machine.tryMint("{}").status(), is(200));
    }

    @Test
    void revokedMachineGetsNothing() {
        String org = org();
        TestMachine machine = keycloak.provision(admin, org, "app", "m").enroll().openSession();
        assertThat(machine.tryMint("{}").status(), is(200));

        JsonResponse deleted = keycloak.http().send("DELETE",
                keycloak.admin(org, "/machine-oidc/apps/app/machines/" + machine.machineId()), admin, null, null);
        assertThat(deleted.status(), is(204));

        assertError(machine.tryMint("{}"), 403, "machine_revoked");
        assertThat(machine.trySession().status(), is(401));
    }

    @Test
    void deployUpdateChangesVersionImageAndDigestInTheNextToken() {
        String org = org();
        TestMachine machine = keycloak.provision(admin, org, "app", "m").enroll().openSession();
        Map<String, Object> before = TestMachine.claims(machine.mint("{}"));
        String digest = "sha256:" + "b".repeat(64);

        JsonResponse updated = keycloak.http().json("PUT", keycloak.admin(org, "/machine-oidc/apps/app/machines/" + machine.machineId()),
                admin, Map.of("image", "registry.example.com/you/image:v2", "image_digest", digest));
        assertThat(updated.body(), updated.status(), is(200));

        Map<String, Object> after = TestMachine.claims(machine.mint("{}"));
        assertThat(after.get("machine_version"), not(equalTo(before.get("machine_version"))));
        assertThat(after.get("machine_version"), is(updated.json().get("machine_version").asText()));
        assertThat(after.get("image"), is("registry.example.com/you/image:v2"));
        assertThat(after.get("image_digest"), is(digest));
        assertThat(after.get("region"), is(before.get("region")));
    }

    @Test
    void orgSettingsShapeTheTokenAndTheAudiencePolicyIsEnforced() {
        String org = org();
        TestMachine machine = keycloak.provision(admin, org, "app", "m").enroll().openSession();
        JsonResponse put = keycloak.http().json("PUT", keycloak.admin(org, "/machine-oidc/settings"), admin, Map.of(
                "token_lifetime", 900, "nbf_backdate", 30, "allowed_audiences", List.of("sts.amazonaws.com", "https://vault.*.example.com")));
        assertThat(put.body(), put.status(), is(200));

        Map<String, Object> claims = TestMachine.claims(machine.mint("{\"aud\":\"https://vault.eu.example.com\"}"));
        assertThat(((Number) claims.get("exp")).longValue() - ((Number) claims.get("iat")).longValue(), is(900L));
        assertThat(((Number) claims.get("iat")).longValue() - ((Number) claims.get("nbf")).longValue(), is(30L));
        assertThat(machine.tryMint("{\"aud\":\"sts.amazonaws.com\"}").status(), is(200));
        assertError(machine.tryMint("{\"aud\":\"https://evil.example.net\"}"), 403, "audience_not_allowed");
        String issuer = keycloak.baseUrl() + "/realms/" + org;
        assertThat("the org's issuer is always allowed, by default", TestMachine.claims(machine.mint("")).get("aud"), is(issuer));
        assertThat("and when asked for", TestMachine.claims(machine.mint("{\"aud\":\"" + issuer + "\"}")).get("aud"), is(issuer));
    }

    @Test
    void discoveryDocumentFollowsTheContract() throws Exception {
        String org = org();
        keycloak.provision(admin, org, "app", "m");
        String issuer = keycloak.baseUrl() + "/realms/" + org;

        JsonNode document = Discovery.document(issuer);

        assertThat(document.get("issuer").asText(), is(issuer));
        assertThat(document.get("jwks_uri").asText(), containsString("/realms/" + org + "/"));
        assertThat(texts(document.get("response_types_supported")), is(List.of("id_token")));
        assertThat(texts(document.get("subject_types_supported")), is(List.of("public")));
        assertThat(texts(document.get("id_token_signing_alg_values_supported")), is(List.of("RS256")));
        assertThat(texts(document.get("claims_supported")), hasItems("sub", "machine_id", "machine_version", "image_digest"));
        JsonNode master = Discovery.document(keycloak.baseUrl() + "/realms/master");
        assertThat("other realms keep Keycloak's document", texts(master.get("response_types_supported")), hasItem("code"));
    }

    @Test
    void everyMintLeavesAnEvent() {
        String org = org();
        TestMachine machine = keycloak.provision(admin, org, "app", "m").enroll().openSession();
        JsonResponse realm = keycloak.http().json("PUT", keycloak.admin(org, ""), admin, Map.of("eventsEnabled", true));
        assertThat(realm.body(), realm.status(), is(204));

        String jti = (String) TestMachine.claims(machine.mint("{\"aud\":\"sts.amazonaws.com\"}")).get("jti");

        JsonResponse events = keycloak.http().get(keycloak.admin(org, "/events?type=TOKEN_EXCHANGE"), admin);
        assertThat(events.body(), events.status(), is(200));
        List<JsonNode> mints = items(events.json(), e -> e);
        assertThat(mints.stream().map(e -> e.get("details").get("token_id").asText()).toList(), hasItem(jti));
        JsonNode event = mints.stream().filter(e -> jti.equals(e.get("details").get("token_id").asText())).findFirst().orElseThrow();
        assertThat(event.get("details").get("machine_id").asText(), is(machine.machineId()));
        assertThat(event.get("details").get("audience").asText(), is("sts.amazonaws.com"));
        assertThat(event.get("details").get("app").asText(), is("app"));
        assertThat(mints.stream().map(e -> e.get("type").asText()).toList(), everyItem(is("TOKEN_EXCHANGE")));
    }

    static void assertError(JsonResponse answer, int status, String code) {
        assertThat(answer.body(), answer.status(), is(status));
        assertThat(answer.body(), answer.json().get("error").asText(), is(code));
        assertThat(answer.json().get("message").asText().isEmpty(), is(false));
    }

    private static List<String> texts(JsonNode array) {
        return items(array, JsonNode::asText);
    }

    private static <T> List<T> items(JsonNode array, Function<JsonNode, T> map) {
        List<T> values = new ArrayList<>();
        array.forEach(node -> values.add(map.apply(node)));
        return values;
    }
}
