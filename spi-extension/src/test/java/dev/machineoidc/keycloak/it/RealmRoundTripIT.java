package dev.machineoidc.keycloak.it;

import com.fasterxml.jackson.databind.JsonNode;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jwt.SignedJWT;
import dev.machineoidc.arquillian.JsonResponse;
import dev.machineoidc.arquillian.KeycloakServer;
import dev.machineoidc.keycloak.it.support.Http;
import dev.machineoidc.keycloak.it.support.Keycloak;
import dev.machineoidc.keycloak.it.support.Nginx;
import dev.machineoidc.keycloak.it.support.TestMachine;
import dev.machineoidc.testing.ContractClaims;
import dev.machineoidc.testing.Discovery;
import org.jboss.arquillian.container.test.api.Deployment;
import org.jboss.arquillian.container.test.api.OperateOnDeployment;
import org.jboss.arquillian.container.test.api.TargetsContainer;
import org.jboss.arquillian.junit5.ArquillianExtension;
import org.jboss.arquillian.test.api.ArquillianResource;
import org.jboss.shrinkwrap.api.spec.JavaArchive;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.is;
import static org.hamcrest.Matchers.not;
import static org.hamcrest.Matchers.notNullValue;

/**
 * An org survives {@code kc.sh export} and {@code kc.sh import} into a fresh Keycloak: after the move the same
 * enrolled machine (same key, no re-enrollment) mints tokens with the same claims (its org's subject template and
 * default audience moved with it) and the same {@code kid}, and a
 * token minted before the move still verifies with the keys the new server publishes. Both servers have the same
 * public issuer base, served by an nginx with docker/nginx's mapping in front of the server being checked, as a
 * deployment keeps its public issuer when Keycloak moves.
 */
@ExtendWith(ArquillianExtension.class)
class RealmRoundTripIT {

    static final String SOURCE = "export-source";
    static final String TARGET = "import-target";
    static final int NGINX_PORT = Integer.getInteger("it.roundtrip.nginx.port", 8387);
    /** What only differs between two tokens of one machine minted at different times. */
    static final Set<String> PER_TOKEN = Set.of("iat", "nbf", "exp", "jti");
    static final String MINT = "{\"aud\":\"sts.amazonaws.com\",\"aws_principal_tags\":true}";

    @Deployment(name = SOURCE, order = 1, testable = false)
    @TargetsContainer("keycloak-export-source")
    public static JavaArchive providerOnSource() {
        return ProviderDeployment.provider();
    }

    @Deployment(name = TARGET, order = 2, testable = false)
    @TargetsContainer("keycloak-import-target")
    public static JavaArchive providerOnTarget() {
        return ProviderDeployment.provider();
    }

    @ArquillianResource
    @OperateOnDeployment(SOURCE)
    KeycloakServer source;

    @ArquillianResource
    @OperateOnDeployment(TARGET)
    KeycloakServer target;

    @Test
    void exportedOrgImportsIntoAFreshKeycloakWithItsKeysAndEnrolledMachines() throws Exception {
        Path work = Files.createDirectories(Path.of(System.getProperty("project.build.directory", "target"), "realm-round-trip"));
        String org = "roundtrip-" + UUID.randomUUID().toString().substring(0, 8);
        String issuer = "http://127.0.0.1:" + NGINX_PORT + "/" + org;
        Keycloak before = new Keycloak(source.baseUrl().toString());
        Keycloak after = new Keycloak(target.baseUrl().toString());

        // Before: an org, an app and an enrolled machine on the source, and a token.
        TestMachine machine = before.provision(source.adminAccessToken(), org, "example-app", "example-machine")
                .enroll().signAssertion();
        JsonResponse settings = before.http().json("PUT", before.admin(org, "/machine-oidc/settings"), source.adminAccessToken(),
                Map.of("subject_template", "{org_id}:{app_id}:{machine_id}", "default_audience", "https://fly.io/" + org));
        assertThat(settings.body(), settings.status(), is(200));
        String old = machine.mint(MINT);
        Map<String, Object> oldClaims = TestMachine.claims(old);
        assertThat(oldClaims.get("iss"), is(issuer));
        assertThat(oldClaims.get("sub"), is(oldClaims.get("org_id") + ":" + oldClaims.get("app_id") + ":" + machine.machineId()));
        assertThat(oldClaims.keySet(), equalTo(withTags(ContractClaims.NAMES)));
        String kid = SignedJWT.parse(old).getHeader().getKeyID();
        assertThat(kid, notNullValue());
        try (Nginx nginx = Nginx.start(work.resolve("nginx-source"), issuerLocations(), NGINX_PORT, source.baseUrl().getPort())) {
            Discovery.verify(old);
        }

        // The move: kc.sh export from the stopped source, kc.sh import into the target's database.
        source.stop();
        Path export = work.resolve(org + "-realm.json");
        Files.deleteIfExists(export);
        source.exportRealm(org, export);
        JsonNode realm = Http.JSON.readTree(export.toFile());
        assertThat(realm.path("realm").asText(), is(org));
        assertThat("the export holds the machine's client", clientIds(realm), hasItem(machine.clientId()));

        JsonResponse absent = after.http().get(after.admin(org, ""), target.adminAccessToken());
        assertThat("the target is fresh: " + absent.body(), absent.status(), is(404));
        target.stop();
        target.importRealm(export);
        target.start();

        // After: the same machine, same key, no enrollment: a new assertion and a token with the same claims and kid.
        String admin = target.adminAccessToken();
        JsonResponse stored = after.http().get(after.admin(org, "/machine-oidc/apps/example-app/machines/" + machine.machineId()), admin);
        assertThat(stored.body(), stored.status(), is(200));
        assertThat(stored.body(), stored.json().path("enrolled").asBoolean(), is(true));
        TestMachine moved = machine.on(after).signAssertion();
        String fresh = moved.mint(MINT);
        Map<String, Object> freshClaims = TestMachine.claims(fresh);
        assertThat(withoutPerToken(freshClaims), equalTo(withoutPerToken(oldClaims)));
        assertThat(freshClaims.get("jti"), not(equalTo(oldClaims.get("jti"))));
        assertThat("signed with the imported realm key", SignedJWT.parse(fresh).getHeader().getKeyID(), is(kid));
        JsonNode movedSettings = after.http().get(after.admin(org, "/machine-oidc/settings"), admin).json();
        assertThat(movedSettings, is(settings.json()));
        assertThat("the default audience moved too", TestMachine.claims(moved.mint("")).get("aud"), is("https://fly.io/" + org));

        // A verifier that fetches the keys again after the move, through the same public issuer, accepts both tokens.
        try (Nginx nginx = Nginx.start(work.resolve("nginx-target"), issuerLocations(), NGINX_PORT, target.baseUrl().getPort())) {
            JWKSet keys = Discovery.keys(issuer);
            assertThat(keys.getKeyByKeyId(kid), notNullValue());
            Discovery.Verifier verifier = Discovery.verifier(keys);
            assertThat(verifier.verify(old).getClaims().get("jti"), is(oldClaims.get("jti")));
            assertThat(verifier.verify(fresh).getClaims().get("jti"), is(freshClaims.get("jti")));
        }
    }

    private static Path issuerLocations() {
        return Path.of("..", "docker", "nginx", "issuer-locations.conf");
    }

    private static Set<String> withTags(Set<String> names) {
        Set<String> all = new java.util.HashSet<>(names);
        all.add("https://aws.amazon.com/tags");
        return all;
    }

    private static Map<String, Object> withoutPerToken(Map<String, Object> claims) {
        Map<String, Object> rest = new HashMap<>(claims);
        rest.keySet().removeAll(PER_TOKEN);
        return rest;
    }

    private static List<String> clientIds(JsonNode realm) {
        List<String> ids = new ArrayList<>();
        realm.path("clients").forEach(client -> ids.add(client.path("clientId").asText()));
        return ids;
    }
}
