package dev.machineoidc.keycloak.it;

import com.nimbusds.jwt.JWTClaimsSet;
import dev.machineoidc.arquillian.JsonResponse;
import dev.machineoidc.keycloak.it.support.Keycloak;
import dev.machineoidc.keycloak.it.support.Nginx;
import dev.machineoidc.keycloak.it.support.Poll;
import dev.machineoidc.keycloak.it.support.TestMachine;
import org.jboss.arquillian.container.test.api.Deployment;
import org.jboss.arquillian.container.test.api.TargetsContainer;
import org.jboss.shrinkwrap.api.spec.JavaArchive;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.UUID;
import dev.machineoidc.testing.ContractClaims;
import dev.machineoidc.testing.Discovery;

import static dev.machineoidc.keycloak.it.MintIT.assertError;
import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.is;

/**
 * A Keycloak started with {@code issuer-base-url} (and a 5-second enrollment lifetime), behind a real nginx running
 * the issuer mapping shipped in {@code docker/nginx/}: verifiers reach discovery and keys only through the proxy.
 */
class CustomIssuerIT extends ContainerTestBase {

    static final String CONTAINER = "keycloak-custom-issuer";
    static final int NGINX_PORT = Integer.getInteger("it.nginx.port", 8380);
    static final String ISSUER_BASE = "http://127.0.0.1:" + NGINX_PORT;

    private static Nginx nginx;

    @Deployment(testable = false)
    @TargetsContainer(CONTAINER)
    public static JavaArchive provider() {
        return ProviderDeployment.provider();
    }

    @BeforeEach
    void startNginx() throws Exception {
        if (nginx == null) {
            Path target = Path.of(System.getProperty("project.build.directory", "target"));
            nginx = Nginx.start(target.resolve("nginx-it"), Path.of("..", "docker", "nginx", "issuer-locations.conf"),
                    NGINX_PORT, server.baseUrl().getPort());
        }
    }

    @AfterAll
    static void stopNginx() {
        if (nginx != null) {
            nginx.close();
            nginx = null;
        }
    }

    private static String org() {
        return "issuer-" + UUID.randomUUID().toString().substring(0, 8);
    }

    @Test
    void tokensCarryTheCustomIssuerAndVerifyThroughTheProxy() throws Exception {
        String org = org();
        TestMachine machine = keycloak.provision(admin, org, "app", "m").enroll().signAssertion();

        String jwt = machine.mint("{\"aud\":\"sts.amazonaws.com\"}");

        JWTClaimsSet claims = Discovery.verify(jwt);
        assertThat(claims.getIssuer(), is(ISSUER_BASE + "/" + org));
        assertThat(claims.getClaims().keySet(), equalTo(ContractClaims.NAMES));
        var discovery = Discovery.document(ISSUER_BASE + "/" + org);
        assertThat(discovery.get("jwks_uri").asText(), is(ISSUER_BASE + "/" + org + "/.well-known/jwks"));
        assertThat(discovery.get("response_types_supported").get(0).asText(), is("id_token"));
        assertThat(TestMachine.claims(machine.mint("")).get("aud"), is(ISSUER_BASE + "/" + org));
    }

    @Test
    void theProxyExposesOnlyDiscoveryAndKeys() {
        String org = org();
        Keycloak.assertCreated(keycloak.createOrg(admin, org));

        assertThat(http.get(ISSUER_BASE + "/" + org + "/.well-known/jwks", null).status(), is(200));
        assertThat(http.get(ISSUER_BASE + "/" + org + "/protocol/openid-connect/certs", null).status(), is(404));
        assertThat(http.get(ISSUER_BASE + "/realms/master", null).status(), is(404));
        assertThat(http.get(ISSUER_BASE + "/no-such-org/.well-known/openid-configuration", null).status(), is(404));
        assertThat(http.get(ISSUER_BASE + "/master/.well-known/openid-configuration", null).status(), is(404));
        assertThat(http.send("POST", ISSUER_BASE + "/" + org + "/.well-known/jwks", null, null, "").status(), is(403));
    }

    @Test
    void anEnrollmentTokenExpires() {
        String org = org();
        TestMachine machine = keycloak.provision(admin, org, "app", "m");
        JsonResponse renewed = keycloak.http().json("POST",
                keycloak.admin(org, "/machine-oidc/apps/app/machines/" + machine.machineId() + "/enrollment"), admin, "");
        Instant expiresAt = Instant.parse(renewed.json().get("enrollment_expires_at").asText());
        assertThat(Duration.between(Instant.now(), expiresAt).getSeconds() <= 5, is(true));

        Poll.until("the enrollment token's expiry", Duration.ofSeconds(15), () -> Instant.now().isAfter(expiresAt.plusMillis(200)));

        assertError(machine.withEnrollmentToken(renewed.json().get("enrollment_token").asText()).tryEnroll(),
                401, "invalid_enrollment_token");
    }
}
