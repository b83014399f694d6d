package dev.machineoidc.keycloak.it;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.jwk.Curve;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.gen.ECKeyGenerator;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import dev.machineoidc.arquillian.JsonResponse;
import dev.machineoidc.keycloak.it.support.Keycloak;
import dev.machineoidc.keycloak.it.support.MintAssertions;
import dev.machineoidc.keycloak.it.support.MintOfOne;
import dev.machineoidc.keycloak.it.support.TestMachine;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.function.Function;
import java.util.stream.Collectors;
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
        TestMachine machine = keycloak.provision(admin, org, "example-app", "example-machine").enroll().signAssertion();

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
        TestMachine machine = keycloak.provision(admin, org, "app", "m").enroll().signAssertion();

        Map<String, Object> first = TestMachine.claims(machine.mint(""));
        Map<String, Object> second = TestMachine.claims(machine.mint("{}"));

        assertThat(first.get("jti"), not(equalTo(second.get("jti"))));
        assertThat(first.get("aud"), is(keycloak.baseUrl() + "/realms/" + org));
    }

    @Test
    void awsPrincipalTagsOnlyWhenAsked() {
        TestMachine machine = keycloak.provision(admin, org(), "app", "m").enroll().signAssertion();

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
        TestMachine machine = keycloak.provision(admin, org(), "app", "m").enroll().signAssertion();

        assertError(machine.tryMintBatch("{\"requests\":[{\"aud\":]}"), 400, "invalid_request");
        assertError(machine.tryMintBatch("{\"requests\":[[1]]}"), 400, "invalid_request");
        assertError(machine.tryMint("{\"aud\":42}"), 400, "invalid_request");
        assertError(machine.tryMint("{\"aud\":\"" + "a".repeat(257) + "\"}"), 400, "invalid_audience");
        assertError(machine.tryMint("{\"aud\":\"\"}"), 400, "invalid_audience");
        assertError(machine.tryMint("{\"aws_principal_tags\":\"yes\"}"), 400, "invalid_request");
        JsonResponse notAnOrg = keycloak.http().send("POST", keycloak.baseUrl() + "/realms/master/machine-oidc/tokens",
                null, "application/json", MintOfOne.body("{}"));
        assertThat(notAnOrg.status(), is(404));
        JsonResponse singleEndpoint = keycloak.http().send("POST", keycloak.baseUrl() + "/realms/" + machine.org()
                + "/machine-oidc/token", null, "application/json", "{}");
        assertThat("the batch endpoint is the only mint endpoint", singleEndpoint.status(), is(404));
    }

    @Test
    void enrollmentTokenIsSingleUseAndANewOneReplacesTheKey() {
        TestMachine machine = keycloak.provision(admin, org(), "app", "m");
        String token = machine.enrollmentToken();
        machine.enroll().signAssertion();

        assertError(machine.withEnrollmentToken(token).tryEnroll(), 401, "invalid_enrollment_token");
        assertError(machine.withEnrollmentToken("not-a-token").tryEnroll(), 401, "invalid_enrollment_token");
    }

    @Test
    void reEnrollmentReplacesTheKeyAndRefusesTheOldOne() {
        String org = org();
        TestMachine machine = keycloak.provision(admin, org, "app", "m").enroll().signAssertion();
        JsonResponse renewed = keycloak.http().json("POST",
                keycloak.admin(org, "/machine-oidc/apps/app/machines/" + machine.machineId() + "/enrollment"), admin, "");
        assertThat(renewed.body(), renewed.status(), is(201));
        TestMachine old = machine;
        JsonResponse stillWorks = old.tryMint("{}");
        assertThat("the old key works until re-enrollment", stillWorks.status(), is(200));

        machine.withEnrollmentToken(renewed.json().get("enrollment_token").asText()).enroll();

        assertError(machine.tryMint("{}"), 401, "invalid_token");
        machine.signAssertion();
        assertThat(machine.tryMint("{}").status(), is(200));
    }

    @Test
    void revokedMachineGetsNothing() {
        String org = org();
        TestMachine machine = keycloak.provision(admin, org, "app", "m").enroll().signAssertion();
        assertThat(machine.tryMint("{}").status(), is(200));

        revoke(org, machine);

        assertError(machine.tryMint("{}"), 403, "machine_revoked");
        assertError(machine.signAssertion().tryMint("{}"), 403, "machine_revoked");
    }

    @Test
    void deployUpdateChangesVersionImageAndDigestInTheNextToken() {
        String org = org();
        TestMachine machine = keycloak.provision(admin, org, "app", "m").enroll().signAssertion();
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
        TestMachine machine = keycloak.provision(admin, org, "app", "m").enroll().signAssertion();
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
    void theSubjectTemplateMakesSubAndTheDefaultAudienceIsUsedWhenAudIsOmitted() {
        String org = org();
        TestMachine machine = keycloak.provision(admin, org, "example-app", "example-machine").enroll().signAssertion();
        Map<String, Object> before = TestMachine.claims(machine.mint(""));
        assertThat("the default template is Fly's sub", before.get("sub"), is(org + ":example-app:example-machine"));

        putSettings(org, Map.of("subject_template", "{org_id}:{app_id}:{machine_id}", "default_audience", "https://fly.io/" + org,
                "allowed_audiences", List.of("sts.amazonaws.com")));
        Map<String, Object> immutable = TestMachine.claims(machine.mint(""));
        assertThat(immutable.get("sub"), is(before.get("org_id") + ":" + before.get("app_id") + ":" + machine.machineId()));
        assertThat("aud omitted: the org's default audience", immutable.get("aud"), is("https://fly.io/" + org));
        assertThat("the default audience is always allowed",
                TestMachine.claims(machine.mint("{\"aud\":\"https://fly.io/" + org + "\"}")).get("aud"), is("https://fly.io/" + org));
        assertThat(TestMachine.claims(machine.mint("{\"aud\":\"sts.amazonaws.com\"}")).get("sub"), is(immutable.get("sub")));
        String issuer = keycloak.baseUrl() + "/realms/" + org;
        assertError(machine.tryMint("{\"aud\":\"" + issuer + "\"}"), 403, "audience_not_allowed");

        putSettings(org, Map.of("subject_template", "{org}:{app}", "default_audience", issuer));
        Map<String, Object> appLevel = TestMachine.claims(machine.mint(""));
        assertThat(appLevel.get("sub"), is(org + ":example-app"));
        assertThat("the issuer again", appLevel.get("aud"), is(issuer));

        putSettings(org, Map.of("subject_template", "fly:{region}/{app}.{machine}@{org}"));
        assertThat(TestMachine.claims(machine.mint("")).get("sub"), is("fly:sea/example-app.example-machine@" + org));
    }

    /** Refused with the reason, never a token whose sub is empty in part or shared with other machines. */
    @Test
    void aSubjectTheTemplateCannotMakeIsRefusedWithTheReason() {
        String org = org();
        TestMachine machine = keycloak.provision(admin, org, "app", "m").enroll().signAssertion();
        putSettings(org, Map.of("subject_template", "{org}:{region}:{machine}"));
        assertThat(TestMachine.claims(machine.mint("")).get("sub"), is(org + ":sea:m"));

        // A machine stored without a region (the admin API always sets one; Keycloak's own client API need not).
        String client = keycloak.admin(org, "/clients/" + machine.machineId());
        ObjectNode rep = (ObjectNode) keycloak.http().get(client, admin).json();
        ((ObjectNode) rep.get("attributes")).put("machine-oidc.region", "");
        assertThat(keycloak.http().json("PUT", client, admin, rep).status(), is(204));
        JsonResponse regionless = machine.tryMint("");
        assertError(regionless, 403, "subject_unavailable");
        assertThat(regionless.json().get("message").asText(), is("The org's subject template '{org}:{region}:{machine}' needs "
                + "{region}, which machine " + machine.machineId() + " does not have."));
        putSettings(org, Map.of("subject_template", "{org}:{app}:{machine}"));
        assertThat(TestMachine.claims(machine.mint("")).get("sub"), is(org + ":app:m"));

        // An org upgraded in place, without the settings component, reads its old realm attributes; a template
        // stored invalid there by hand, through Keycloak's realm API, refuses every mint: no fallback subject.
        for (JsonNode tab : keycloak.http().get(keycloak.admin(org, "/components?type=" + MachineIdentityTabIT.TAB_TYPE), admin).json()) {
            assertThat(keycloak.http().send("DELETE", keycloak.admin(org, "/components/" + tab.get("id").asText()), admin,
                    null, null).status(), is(204));
        }
        String realm = keycloak.admin(org, "");
        ObjectNode realmRep = (ObjectNode) keycloak.http().get(realm, admin).json();
        ((ObjectNode) realmRep.get("attributes")).put("machine-oidc.subject-template", "{org}");
        assertThat(keycloak.http().json("PUT", realm, admin, realmRep).status(), is(204));
        JsonResponse invalid = machine.tryMint("");
        assertError(invalid, 403, "subject_unavailable");
        assertThat(invalid.json().get("message").asText(), containsString("The org's subject template '{org}' is invalid"));
        ((ObjectNode) realmRep.get("attributes")).put("machine-oidc.subject-template", "{org}:{machine_id}");
        assertThat(keycloak.http().json("PUT", realm, admin, realmRep).status(), is(204));
        assertThat(TestMachine.claims(machine.mint("")).get("sub"), is(org + ":" + machine.machineId()));
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
        TestMachine machine = machineStoringEvents(org);

        String jti = (String) TestMachine.claims(machine.mint("{\"aud\":\"sts.amazonaws.com\"}")).get("jti");

        List<JsonNode> mints = events(org, "TOKEN_EXCHANGE");
        assertThat(mints.stream().map(e -> e.get("details").get("token_id").asText()).toList(), hasItem(jti));
        JsonNode event = mints.stream().filter(e -> jti.equals(e.get("details").get("token_id").asText())).findFirst().orElseThrow();
        assertThat(event.get("details").get("machine_id").asText(), is(machine.machineId()));
        assertThat(event.get("details").get("audience").asText(), is("sts.amazonaws.com"));
        assertThat(event.get("details").get("app").asText(), is("app"));
        assertThat(mints.stream().map(e -> e.get("type").asText()).toList(), everyItem(is("TOKEN_EXCHANGE")));
    }

    @Test
    void aBatchMintsEachItemInOrderAndRefusesOnlyTheItemTheOrgForbids() throws Exception {
        String org = org();
        TestMachine machine = keycloak.provision(admin, org, "app", "m").enroll().signAssertion();
        JsonResponse put = keycloak.http().json("PUT", keycloak.admin(org, "/machine-oidc/settings"), admin,
                Map.of("allowed_audiences", List.of("sts.amazonaws.com")));
        assertThat(put.body(), put.status(), is(200));

        JsonResponse answer = machine.tryMintBatch("{\"requests\":[{\"aud\":\"sts.amazonaws.com\",\"aws_principal_tags\":true},"
                + "{\"aud\":\"https://evil.example.net\"},{}]}");

        assertThat(answer.body(), answer.status(), is(200));
        assertThat(answer.header("Content-Type").orElse(""), containsString("application/json"));
        assertThat(answer.header("Cache-Control").orElse(""), containsString("no-store"));
        List<JsonNode> results = items(answer.json().get("results"), r -> r);
        assertThat(results.size(), is(3));
        JsonNode refused = results.get(1);
        assertThat(refused.get("status").asInt(), is(403));
        assertThat(refused.get("error").asText(), is("audience_not_allowed"));
        assertThat(refused.get("message").asText(),
                is(machine.tryMint("{\"aud\":\"https://evil.example.net\"}").json().get("message").asText()));
        assertThat(refused.has("token"), is(false));
        JWTClaimsSet first = Discovery.verify(results.get(0).get("token").asText());
        JWTClaimsSet third = Discovery.verify(results.get(2).get("token").asText());
        assertThat("the item asked for AWS tags", first.getClaim("https://aws.amazon.com/tags"), notNullValue());
        assertThat(first.getAudience(), is(List.of("sts.amazonaws.com")));
        assertThat(third.getClaims().keySet(), equalTo(ContractClaims.NAMES));
        assertThat(third.getAudience(), is(List.of(keycloak.baseUrl() + "/realms/" + org)));
        assertThat(first.getJWTID(), not(equalTo(third.getJWTID())));
        assertThat(first.getStringClaim("machine_id"), is(machine.machineId()));
        assertThat(third.getSubject(), is(org + ":app:m"));
    }

    @Test
    void aBatchItemGetsTheErrorItGetsAlone() {
        TestMachine machine = keycloak.provision(admin, org(), "app", "m").enroll().signAssertion();

        JsonResponse answer = machine.tryMintBatch("{\"requests\":[{\"aud\":42},{\"aud\":\"\"},{}]}");

        assertThat(answer.body(), answer.status(), is(200));
        List<JsonNode> results = items(answer.json().get("results"), r -> r);
        assertItemError(results.get(0), machine.tryMint("{\"aud\":42}"));
        assertItemError(results.get(1), machine.tryMint("{\"aud\":\"\"}"));
        assertThat(results.get(2).get("token").asText().split("\\.").length, is(3));
    }

    @Test
    void aBadBatchBodyIsRejectedWhole() {
        TestMachine machine = keycloak.provision(admin, org(), "app", "m").enroll().signAssertion();

        for (String body : List.of(defaultRequests(0), defaultRequests(65), "{\"requests\":{}}", "{}", "[{}]",
                "{\"requests\":[1]}", "{\"requests\":")) {
            assertError(machine.tryMintBatch(body), 400, "invalid_request");
        }
        JsonResponse full = machine.tryMintBatch(defaultRequests(64));
        assertThat(full.body(), full.status(), is(200));
        assertThat(items(full.json().get("results"), r -> r.get("token").asText()).size(), is(64));
    }

    @Test
    void aBatchNeedsAValidAssertionFromALiveMachineOfAnOrg() {
        String org = org();
        TestMachine machine = keycloak.provision(admin, org, "app", "m").enroll().signAssertion();
        String url = keycloak.baseUrl() + "/realms/" + org + "/machine-oidc/tokens";
        String body = "{\"requests\":[{}]}";

        assertError(keycloak.http().send("POST", url, null, "application/json", body), 401, "invalid_token");
        assertError(keycloak.http().send("POST", url, "not-an-assertion", "application/json", body), 401, "invalid_token");
        assertThat(keycloak.http().send("POST", keycloak.baseUrl() + "/realms/master/machine-oidc/tokens", null,
                "application/json", body).status(), is(404));
        assertThat(machine.tryMintBatch(body).status(), is(200));

        revoke(org, machine);
        assertError(machine.tryMintBatch(body), 403, "machine_revoked");
    }

    @Test
    void everyTokenOfABatchLeavesItsOwnEvent() {
        String org = org();
        TestMachine machine = machineStoringEvents(org);

        JsonResponse answer = machine.tryMintBatch("{\"requests\":[{\"aud\":\"sts.amazonaws.com\"},{}]}");
        assertThat(answer.body(), answer.status(), is(200));
        List<String> jtis = items(answer.json().get("results"), r -> (String) TestMachine.claims(r.get("token").asText()).get("jti"));

        List<JsonNode> mints = events(org, "TOKEN_EXCHANGE");
        assertThat(mints.size(), is(2));
        assertThat(mints.stream().map(e -> e.get("details").get("token_id").asText()).collect(Collectors.toSet()),
                equalTo(Set.copyOf(jtis)));
        assertThat(mints.stream().map(e -> e.get("details").get("audience").asText()).collect(Collectors.toSet()),
                equalTo(Set.of("sts.amazonaws.com", keycloak.baseUrl() + "/realms/" + org)));
        for (JsonNode event : mints) {
            assertThat(event.get("details").get("machine_oidc").asText(), is("mint"));
            assertThat(event.get("details").get("machine_id").asText(), is(machine.machineId()));
            assertThat(event.get("details").get("app").asText(), is("app"));
        }

        assertThat(machine.tryMintBatch("{\"requests\":[{\"aud\":\"\"}]}").status(), is(200));
        assertThat("a refused item leaves a failure event with its code",
                events(org, "TOKEN_EXCHANGE_ERROR").stream().map(e -> e.get("error").asText()).toList(), is(List.of("invalid_audience")));
    }

    @Test
    void aMintAssertionMustKeepEveryRuleOfTheProtocol() throws Exception {
        String org = org();
        TestMachine machine = keycloak.provision(admin, org, "app", "m").enroll().signAssertion();
        Keycloak.assertCreated(keycloak.createMachine(admin, org, "app", Map.of("name", "other",
                "region", "sea", "image", "i", "image_digest", "sha256:" + "0".repeat(64))));
        String clientId = machine.clientId();
        String audience = MintAssertions.audience(org);
        Instant now = Instant.now();
        Duration life = MintAssertions.LIFETIME;

        assertThat("valid, and usable again while it lives: nothing is stored per mint",
                List.of(machine.tryMint("{}").status(), machine.tryMint("{}").status()), is(List.of(200, 200)));
        Map<String, String> broken = new LinkedHashMap<>();
        broken.put("expired", sign(machine, MintAssertions.claims(clientId, audience, now.minusSeconds(400), life)));
        broken.put("longer than 300 s", sign(machine, MintAssertions.claims(clientId, audience, now, Duration.ofSeconds(301))));
        broken.put("from a clock 2 minutes ahead", sign(machine, MintAssertions.claims(clientId, audience, now.plusSeconds(120), life)));
        broken.put("for another org", sign(machine, MintAssertions.claims(clientId, MintAssertions.audience("other-org"), now, life)));
        broken.put("with the realm URL as aud (a client assertion's)",
                sign(machine, MintAssertions.claims(clientId, keycloak.baseUrl() + "/realms/" + org, now, life)));
        broken.put("naming the other machine", sign(machine, MintAssertions.claims("machine:other@app", audience, now, life)));
        broken.put("iss unlike sub", sign(machine, new JWTClaimsSet.Builder(MintAssertions.claims(clientId, audience, now, life))
                .issuer("someone-else").build()));
        broken.put("of another type", MintAssertions.sign(machine.key(), "JWT", MintAssertions.claims(clientId, audience, now, life)));
        ECKey impostor = new ECKeyGenerator(Curve.P_256).keyID(machine.key().getKeyID()).generate();
        broken.put("signed by another key under the machine's kid",
                MintAssertions.sign(impostor, MintAssertions.TYPE, MintAssertions.claims(clientId, audience, now, life)));
        broken.put("too long to be one", "a".repeat(5000));
        broken.forEach((why, assertion) -> {
            JsonResponse answer = machine.tryMintWith(assertion, "{}");
            assertThat(why + ": " + answer.body(), answer.status(), is(401));
            assertThat(why, answer.json().get("error").asText(), is("invalid_token"));
        });
    }

    @Test
    void aMachineGetsNoTokensFromKeycloaksOwnTokenEndpoint() {
        TestMachine machine = keycloak.provision(admin, org(), "app", "m").enroll();

        JsonResponse answer = machine.tryClientCredentials();

        assertThat(answer.body(), answer.status(), is(401));
        assertThat(answer.body(), answer.json().has("access_token"), is(false));
    }

    private static String sign(TestMachine machine, JWTClaimsSet claims) {
        return MintAssertions.sign(machine.key(), MintAssertions.TYPE, claims);
    }

    /** A batch body of {@code count} requests for the default audience. */
    private static String defaultRequests(int count) {
        return "{\"requests\":[" + String.join(",", Collections.nCopies(count, "{}")) + "]}";
    }

    private static void assertItemError(JsonNode item, JsonResponse single) {
        assertThat(item.toString(), item.get("status").asInt(), is(single.status()));
        assertThat(item.toString(), item.get("error").asText(), is(single.json().get("error").asText()));
        assertThat(item.toString(), item.get("message").asText(), is(single.json().get("message").asText()));
    }

    /** A fresh machine of {@code org}, whose realm now stores its events. */
    private TestMachine machineStoringEvents(String org) {
        TestMachine machine = keycloak.provision(admin, org, "app", "m").enroll().signAssertion();
        JsonResponse realm = keycloak.http().json("PUT", keycloak.admin(org, ""), admin, Map.of("eventsEnabled", true));
        assertThat(realm.body(), realm.status(), is(204));
        return machine;
    }

    private List<JsonNode> events(String org, String type) {
        JsonResponse events = keycloak.http().get(keycloak.admin(org, "/events?type=" + type), admin);
        assertThat(events.body(), events.status(), is(200));
        return items(events.json(), e -> e);
    }

    private void putSettings(String org, Map<String, Object> settings) {
        JsonResponse put = keycloak.http().json("PUT", keycloak.admin(org, "/machine-oidc/settings"), admin, settings);
        assertThat(put.body(), put.status(), is(200));
    }

    private void revoke(String org, TestMachine machine) {
        JsonResponse deleted = keycloak.http().send("DELETE",
                keycloak.admin(org, "/machine-oidc/apps/app/machines/" + machine.machineId()), admin, null, null);
        assertThat(deleted.status(), is(204));
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
