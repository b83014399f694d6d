package dev.machineoidc.keycloak.it;

import com.fasterxml.jackson.databind.JsonNode;
import com.nimbusds.jwt.SignedJWT;
import dev.machineoidc.arquillian.JsonResponse;
import dev.machineoidc.keycloak.it.support.CachingVerifier;
import dev.machineoidc.keycloak.it.support.Keycloak;
import dev.machineoidc.keycloak.it.support.MintAssertions;
import dev.machineoidc.keycloak.it.support.OrgAdmin;
import dev.machineoidc.keycloak.it.support.Poll;
import dev.machineoidc.keycloak.it.support.TestMachine;
import org.junit.jupiter.api.Test;

import java.text.ParseException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.LongAdder;

import static dev.machineoidc.keycloak.it.MintIT.assertError;
import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.containsInAnyOrder;
import static org.hamcrest.Matchers.empty;
import static org.hamcrest.Matchers.greaterThan;
import static org.hamcrest.Matchers.greaterThanOrEqualTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.is;
import static org.hamcrest.Matchers.lessThan;
import static org.hamcrest.Matchers.not;

/**
 * Key rotation against the real server: the three phases and their refusals, the JWKS and its Cache-Control in each
 * phase, the kid of each phase's tokens, and a strict caching verifier that sees a full rotation under load without
 * a single failed mint or verification.
 */
class KeyRotationIT extends ProviderDeployment {

    /** Small, so activation waits seconds; long enough that a copy cached just before prepare outlives the prepare. */
    private static final int JWKS_CACHE_SECONDS = 10;
    /** The shortest lifetime an org takes, so retirement waits 60 s + 5 s + 150 s of verifier leeway. */
    private static final int TOKEN_LIFETIME = 60;
    private static final int LOAD_THREADS = 3;

    private static String org() {
        return "rotate-" + UUID.randomUUID().toString().substring(0, 8);
    }

    private String keysUrl(String org, String step) {
        return keycloak.admin(org, "/machine-oidc/keys" + step);
    }

    private String jwksUrl(String org) {
        return keycloak.baseUrl() + "/realms/" + org + "/machine-oidc/.well-known/jwks";
    }

    private TestMachine rotatingOrg(String org) {
        Keycloak.assertCreated(http.json("POST", keycloak.admin("master", "/machine-oidc/orgs"), admin, Map.of(
                "name", org, "jwks_cache_seconds", JWKS_CACHE_SECONDS, "token_lifetime", TOKEN_LIFETIME,
                "mint_rate_limit", 100_000)));
        return keycloak.addMachine(admin, org, "app", "m").enroll().signAssertion();
    }

    private JsonResponse step(String org, String step) throws Exception {
        return http.json("POST", keysUrl(org, "/" + step), server.adminAccessToken(), "{}");
    }

    private Map<String, String> states(String org) throws Exception {
        JsonResponse keys = http.get(keysUrl(org, ""), server.adminAccessToken());
        assertThat(keys.body(), keys.status(), is(200));
        Map<String, String> states = new LinkedHashMap<>();
        keys.json().get("keys").forEach(key -> states.put(key.get("kid").asText(), key.get("state").asText()));
        return states;
    }

    /** The org's JWKS: only RS256 signing keys, with the org's Cache-Control; their kids. */
    private List<String> publishedKids(String org) {
        JsonResponse jwks = http.get(jwksUrl(org), null);
        assertThat(jwks.body(), jwks.status(), is(200));
        assertThat(jwks.header("Cache-Control").orElse(""), is("public, max-age=" + JWKS_CACHE_SECONDS));
        List<String> kids = new ArrayList<>();
        jwks.json().get("keys").forEach(key -> {
            assertThat(key.toString(), key.get("use").asText(), is("sig"));
            assertThat(key.toString(), key.get("alg").asText(), is("RS256"));
            kids.add(key.get("kid").asText());
        });
        return kids;
    }

    private static String kidOf(String jwt) {
        try {
            return SignedJWT.parse(jwt).getHeader().getKeyID();
        } catch (ParseException e) {
            throw new AssertionError("not a JWT: " + jwt, e);
        }
    }

    @Test
    void theSettingAndTheJwksHeaders() {
        String org = org();
        rotatingOrg(org);
        String settings = keycloak.admin(org, "/machine-oidc/settings");
        assertThat(http.get(settings, admin).json().get("jwks_cache_seconds").asInt(), is(JWKS_CACHE_SECONDS));
        for (Object bad : List.of(-1, 86_401, "300")) {
            JsonResponse refused = http.json("PUT", settings, admin, Map.of("jwks_cache_seconds", bad));
            assertThat(bad + ": " + refused.body(), refused.status(), is(400));
        }
        assertThat(http.json("PUT", settings, admin, Map.of("jwks_cache_seconds", 86_401)).json().get("message").asText(),
                is("Invalid settings: the JWKS cache time must be 0-86400 seconds."));
        JsonResponse zero = http.json("PUT", settings, admin, Map.of("jwks_cache_seconds", 0));
        assertThat(zero.body(), zero.status(), is(200));
        assertThat(zero.json().get("jwks_cache_seconds").asInt(), is(0));

        String base = keycloak.baseUrl() + "/realms/" + org + "/machine-oidc/.well-known/";
        assertThat(http.get(base + "jwks", null).header("Cache-Control").orElse(""), is("public, max-age=0"));
        assertThat(http.get(base + "openid-configuration", null).header("Cache-Control").orElse(""), is("public, max-age=0"));
        JsonNode realmKeys = http.get(keycloak.baseUrl() + "/realms/" + org + "/protocol/openid-connect/certs", null).json();
        List<String> realmAlgs = new ArrayList<>();
        realmKeys.get("keys").forEach(key -> realmAlgs.add(key.path("alg").asText()));
        assertThat("the realm itself has an encryption key", realmAlgs, hasItem("RSA-OAEP"));
        List<String> orgAlgs = new ArrayList<>();
        http.get(base + "jwks", null).json().get("keys").forEach(key -> orgAlgs.add(key.path("alg").asText()));
        assertThat("the org's JWKS does not", orgAlgs, is(List.of("RS256")));
    }

    @Test
    void eachPhaseRefusesWhenItIsNotItsTurnAndOnlyRealmManagersRunThem() throws Exception {
        String org = org();
        rotatingOrg(org);
        String viewer = OrgAdmin.create(keycloak, admin, org, "viola", "view-realm").token(keycloak);
        assertThat(http.get(keysUrl(org, ""), viewer).status(), is(200));
        assertError(http.json("POST", keysUrl(org, "/prepare"), viewer, "{}"), 403, "forbidden");
        assertError(http.get(keycloak.admin("master", "/machine-oidc/keys"), admin), 404, "not_found");

        JsonResponse noNext = step(org, "activate");
        assertError(noNext, 409, "no_next_key");
        assertThat(noNext.json().get("allowed_after").asText(), is("prepare"));
        JsonResponse noPrevious = step(org, "retire");
        assertError(noPrevious, 409, "no_previous_key");
        assertThat(noPrevious.json().get("allowed_after").asText(), is("activate"));

        JsonResponse prepared = step(org, "prepare");
        assertThat(prepared.body(), prepared.status(), is(201));
        JsonResponse second = step(org, "prepare");
        assertError(second, 409, "next_key_exists");
        assertThat(second.json().get("allowed_after").asText(), is("activate"));
        assertThat(states(org).values(), containsInAnyOrder("next", "active"));
        assertError(http.send("POST", keysUrl(org, "/prepare"), admin, "application/json", "[]"), 400, "invalid_json");
    }

    /**
     * A full rotation while several threads mint and a caching verifier checks every token at once. The verifier keeps
     * its JWKS for exactly {@code jwks_cache_seconds} and never refetches for an unknown kid: a key that signed before
     * every cached copy had it would fail a verification here, and a second verifier that fetched just before prepare
     * shows that such a copy lacks the next key while activation is refused.
     */
    @Test
    void aFullRotationUnderLoadFailsNoMintAndNoCachingVerifier() throws Exception {
        String org = org();
        TestMachine machine = rotatingOrg(org);
        CachingVerifier verifier = new CachingVerifier(jwksUrl(org), Duration.ofSeconds(JWKS_CACHE_SECONDS));
        String oldKid = kidOf(machine.mint("{}"));
        assertThat(publishedKids(org), is(List.of(oldKid)));
        assertThat(states(org), is(Map.of(oldKid, "active")));
        JsonResponse discovery = http.get(keycloak.baseUrl() + "/realms/" + org + "/machine-oidc/.well-known/openid-configuration", null);
        assertThat(discovery.header("Cache-Control").orElse(""), is("public, max-age=" + JWKS_CACHE_SECONDS));

        Queue<String> failures = new ConcurrentLinkedQueue<>();
        Map<String, LongAdder> verifiedByKid = new ConcurrentHashMap<>();
        AtomicBoolean running = new AtomicBoolean(true);
        ExecutorService load = Executors.newFixedThreadPool(LOAD_THREADS);
        List<Future<?>> workers = new ArrayList<>();
        for (int i = 0; i < LOAD_THREADS; i++) {
            workers.add(load.submit(() -> {
                while (running.get()) {
                    JsonResponse minted = machine.tryMintWith(MintAssertions.sign(machine.key(), machine.clientId(), org), "{}");
                    if (minted.status() != 200) {
                        failures.add("mint " + minted.status() + ": " + minted.body());
                        continue;
                    }
                    try {
                        verifiedByKid.computeIfAbsent(verifier.verify(minted.body()), kid -> new LongAdder()).increment();
                    } catch (CachingVerifier.VerificationFailure e) {
                        failures.add("verify at " + Instant.now() + ": " + e.getMessage());
                    }
                }
            }));
        }
        try {
            Poll.until("the load verifies tokens", Duration.ofSeconds(30), () -> verifiedByKid.containsKey(oldKid));

            // prepare: the next key is published and does not sign.
            CachingVerifier cachedJustBefore = new CachingVerifier(jwksUrl(org), Duration.ofSeconds(JWKS_CACHE_SECONDS));
            Instant fetchedJustBefore = Instant.now();
            assertThat(cachedJustBefore.cachedKids(), is(List.of(oldKid)));
            JsonResponse prepared = step(org, "prepare");
            assertThat(prepared.body(), prepared.status(), is(201));
            JsonNode next = prepared.json().get("keys").get(0);
            String newKid = next.get("kid").asText();
            assertThat(next.get("state").asText(), is("next"));
            assertThat(publishedKids(org), containsInAnyOrder(oldKid, newKid));
            assertThat(kidOf(machine.mint("{}")), is(oldKid));

            JsonResponse early = step(org, "activate");
            assertThat("the check below needs the copy cached just before prepare to be still valid",
                    Duration.between(fetchedJustBefore, Instant.now()), lessThan(Duration.ofSeconds(JWKS_CACHE_SECONDS)));
            assertThat("a verifier that cached just before prepare does not know the next key",
                    cachedJustBefore.cachedKids(), not(hasItem(newKid)));
            assertError(early, 409, "next_key_not_yet_cached");
            Instant activateAllowedAt = Instant.parse(early.json().get("allowed_at").asText());
            assertThat(activateAllowedAt.toString(), is(next.get("activate_after").asText()));
            assertThat(activateAllowedAt, greaterThanOrEqualTo(fetchedJustBefore.plusSeconds(JWKS_CACHE_SECONDS)));
            assertThat(Long.parseLong(early.header("Retry-After").orElseThrow()), greaterThan(0L));

            // activate: the next key signs, the old one stays published.
            Poll.until("activation is allowed", Duration.ofSeconds(JWKS_CACHE_SECONDS + 30), () -> {
                try {
                    return step(org, "activate").status() == 200;
                } catch (Exception e) {
                    throw new IllegalStateException(e);
                }
            });
            Instant activatedAt = Instant.now();
            assertThat(activatedAt, greaterThanOrEqualTo(activateAllowedAt));
            assertThat("the copy cached just before prepare has expired", cachedJustBefore.cachedKids(), hasItem(newKid));
            assertThat(states(org), is(Map.of(newKid, "active", oldKid, "previous")));
            assertThat(publishedKids(org), containsInAnyOrder(oldKid, newKid));
            assertThat(kidOf(machine.mint("{}")), is(newKid));
            Poll.until("the load verifies tokens of the new key", Duration.ofSeconds(30), () -> verifiedByKid.containsKey(newKid));

            JsonResponse tooEarly = step(org, "retire");
            assertError(tooEarly, 409, "previous_key_in_use");
            Instant retireAllowedAt = Instant.parse(tooEarly.json().get("allowed_at").asText());
            assertThat("a 60 s token signed at activation, 150 s verifier leeway", retireAllowedAt,
                    greaterThanOrEqualTo(activatedAt.minusSeconds(1).plusSeconds(TOKEN_LIFETIME + 150)));

            // retire: once no token of the old key can be accepted, it leaves the JWKS.
            Poll.until("retirement is allowed", Duration.ofSeconds(TOKEN_LIFETIME + 150 + 60),
                    () -> !Instant.now().isBefore(retireAllowedAt));
            Poll.until("retire succeeds", Duration.ofSeconds(10), () -> {
                try {
                    return step(org, "retire").status() == 200;
                } catch (Exception e) {
                    throw new IllegalStateException(e);
                }
            });
            assertThat(publishedKids(org), is(List.of(newKid)));
            assertThat(states(org), is(Map.of(newKid, "active")));
            assertError(step(org, "retire"), 409, "no_previous_key");
            Poll.until("the verifier refetched the JWKS without the old key", Duration.ofSeconds(JWKS_CACHE_SECONDS + 30),
                    () -> !verifier.cachedKids().contains(oldKid));
            long afterRetire = verifiedByKid.get(newKid).sum();
            Poll.until("the load goes on after retirement", Duration.ofSeconds(30), () -> verifiedByKid.get(newKid).sum() > afterRetire);
        } finally {
            running.set(false);
            load.shutdown();
        }
        for (Future<?> worker : workers) {
            worker.get();
        }
        assertThat(List.copyOf(failures), is(empty()));
        assertThat("tokens of both keys were verified", verifiedByKid.size(), is(2));
    }
}
