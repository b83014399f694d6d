package dev.machineoidc.keycloak.it;

import com.nimbusds.jwt.SignedJWT;
import dev.machineoidc.arquillian.JsonResponse;
import dev.machineoidc.keycloak.it.support.FederatedClientRealm;
import dev.machineoidc.keycloak.it.support.ModAuthOpenidc;
import dev.machineoidc.keycloak.it.support.Nginx;
import dev.machineoidc.keycloak.it.support.Poll;
import dev.machineoidc.keycloak.it.support.TestCa;
import dev.machineoidc.keycloak.it.support.TestMachine;
import dev.machineoidc.testing.Discovery;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.UUID;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.is;

/**
 * Federation with real relying parties, on the default server: another realm trusting an org through Keycloak's own
 * {@code federated-jwt} client authentication, and Apache's {@code mod_auth_openidc} as an OAuth 2.0 resource server
 * fetching the org's JWKS over https (through the shipped nginx mapping with a test CA). Both accept a machine's token
 * and refuse what is not meant for them. The org's tokens live 60 s (the shortest allowed): two are minted when the
 * class starts and presented, expired, by the last test, while the others run meanwhile.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class FederationIT extends ProviderDeployment {

    static final String RESOURCE_AUDIENCE = "https://resource.example.test";

    private static Fixture fixture;

    /** What every test shares; made by the first test to run, so that the tokens to expire are minted at once. */
    private record Fixture(String org, String issuer, String jwksUrl, TestMachine machine, TestMachine otherMachine, TestMachine otherOrgMachine,
                           FederatedClientRealm consumer, Nginx nginx, ModAuthOpenidc apache,
                           String expiringAssertion, String expiringBearer) {
    }

    @BeforeEach
    void createFixture() throws Exception {
        if (fixture != null) {
            return;
        }
        String suffix = UUID.randomUUID().toString().substring(0, 8);
        String org = "fed-" + suffix;
        TestMachine machine = keycloak.provision(admin, org, "app", "m").enroll().signAssertion();
        JsonResponse settings = http.json("PUT", keycloak.admin(org, "/machine-oidc/settings"), admin, Map.of("token_lifetime", 60));
        assertThat(settings.body(), settings.status(), is(200));
        String issuer = keycloak.baseUrl() + "/realms/" + org;
        String jwksUrl = Discovery.document(issuer).get("jwks_uri").asText();
        FederatedClientRealm consumer = FederatedClientRealm.create(keycloak, admin, "consumer-" + suffix, issuer, jwksUrl,
                org + ":app:m");
        String expiringAssertion = mint(machine, consumer.issuer());
        String expiringBearer = mint(machine, RESOURCE_AUDIENCE);

        TestMachine otherMachine = keycloak.addMachine(admin, org, "other-app", "m").enroll().signAssertion();
        TestMachine otherOrgMachine = keycloak.provision(admin, "fed-other-" + suffix, "app", "m").enroll().signAssertion();
        Path work = Path.of(System.getProperty("project.build.directory", "target")).resolve("federation-it").toAbsolutePath();
        TestCa ca = TestCa.create(work.resolve("ca"));
        int httpsPort = freePort();
        Nginx nginx = Nginx.startTls(work.resolve("nginx"), Path.of("..", "docker", "nginx", "issuer-locations.conf"),
                httpsPort, server.baseUrl().getPort(), ca);
        ModAuthOpenidc apache;
        try {
            apache = ModAuthOpenidc.start(work.resolve("apache"), freePort(),
                    "https://127.0.0.1:" + httpsPort + "/" + org + "/.well-known/jwks", ca.caCertificate(), issuer, RESOURCE_AUDIENCE);
        } catch (RuntimeException | IOException e) {
            nginx.close();
            throw e;
        }
        fixture = new Fixture(org, issuer, jwksUrl, machine, otherMachine, otherOrgMachine, consumer, nginx, apache,
                expiringAssertion, expiringBearer);
    }

    @AfterAll
    static void stopServers() {
        if (fixture != null) {
            fixture.apache().close();
            fixture.nginx().close();
            fixture = null;
        }
    }

    @Test
    @Order(1)
    void keycloakAcceptsTheMachinesTokenAsItsClientAssertion() throws Exception {
        JsonResponse answer = fixture.consumer().clientCredentials(mint(fixture.machine(), fixture.consumer().issuer()));

        assertThat(answer.body(), answer.status(), is(200));
        SignedJWT accessToken = SignedJWT.parse(answer.json().get("access_token").asText());
        assertThat(accessToken.getJWTClaimsSet().getIssuer(), is(fixture.consumer().issuer()));
        assertThat(accessToken.getJWTClaimsSet().getStringClaim("azp"), is(FederatedClientRealm.CLIENT_ID));
    }

    @Test
    @Order(2)
    void keycloakRefusesAnotherMachinesToken() {
        assertRefused(fixture.consumer().clientCredentials(mint(fixture.otherMachine(), fixture.consumer().issuer())),
                401, "Invalid client or Invalid client credentials");
        assertRefused(fixture.consumer().clientCredentials(mint(fixture.otherOrgMachine(), fixture.consumer().issuer())),
                401, "Invalid client or Invalid client credentials");
    }

    @Test
    @Order(3)
    void keycloakRefusesATokenForAnotherAudience() {
        assertRefused(fixture.consumer().clientCredentials(mint(fixture.machine(), RESOURCE_AUDIENCE)), 400, "Invalid token audience");
    }

    @Test
    @Order(4)
    void keycloakRefusesAReplayedToken() {
        String token = mint(fixture.machine(), fixture.consumer().issuer());

        JsonResponse first = fixture.consumer().clientCredentials(token);
        assertThat(first.body(), first.status(), is(200));
        assertRefused(fixture.consumer().clientCredentials(token), 400, "Token reuse detected");
    }

    @Test
    @Order(5)
    void keycloakRefusesATokenIssuedLongerAgoThanItsProviderAllows() {
        String suffix = UUID.randomUUID().toString().substring(0, 8);
        FederatedClientRealm strict = FederatedClientRealm.create(keycloak, admin, "strict-" + suffix, fixture.issuer(),
                fixture.jwksUrl(), fixture.org() + ":app:m");
        strict.limitAssertionAge(admin, 2);
        String token = mint(fixture.machine(), strict.issuer());
        Instant tooOld = Instant.ofEpochSecond(((Number) TestMachine.claims(token).get("iat")).longValue() + 3);

        Poll.until("the token to be issued more than 2 s ago", Duration.ofSeconds(10), () -> Instant.now().isAfter(tooOld));

        assertRefused(strict.clientCredentials(token), 400, "Token was issued too far in the past to be used now");
        assertThat("a fresh one is good", strict.clientCredentials(mint(fixture.machine(), strict.issuer())).status(), is(200));
    }

    @Test
    @Order(6)
    void modAuthOpenidcAcceptsTheMachinesToken() {
        JsonResponse answer = fixture.apache().get(mint(fixture.machine(), RESOURCE_AUDIENCE));

        assertThat(answer.body() + fixture.apache().log(), answer.status(), is(200));
        assertThat(answer.body(), is("protected\n"));
        assertThat(answer.header("X-Token-Sub").orElse(null), is(fixture.org() + ":app:m"));
        assertThat(answer.header("X-Token-Machine-Id").orElse(null), is(fixture.machine().machineId()));
    }

    @Test
    @Order(7)
    void modAuthOpenidcRefusesTokensNotMeantForIt() {
        assertThat("another audience", fixture.apache().get(mint(fixture.machine(), "sts.amazonaws.com")).status(), is(401));
        assertThat("another org: another issuer and keys",
                fixture.apache().get(mint(fixture.otherOrgMachine(), RESOURCE_AUDIENCE)).status(), is(401));
        assertThat("garbage", fixture.apache().get("eyJhbGciOiJSUzI1NiJ9.eyJzdWIiOiJ4In0.c2lnbmF0dXJl").status(), is(401));
        assertThat("no token", fixture.apache().get(null).status(), is(401));
        assertThat("and still a good one after them",
                fixture.apache().get(mint(fixture.machine(), RESOURCE_AUDIENCE)).status(), is(200));
    }

    @Test
    @Order(8)
    void bothRefuseAnExpiredTokenThatWasGoodWhenMinted() throws Exception {
        Instant expiry = latestExpiry(fixture.expiringAssertion(), fixture.expiringBearer());
        Poll.until("the tokens minted first to expire at " + expiry, Duration.ofSeconds(90),
                () -> Instant.now().isAfter(expiry.plusSeconds(1)));

        assertRefused(fixture.consumer().clientCredentials(fixture.expiringAssertion()), 400, "Token is not active");
        assertThat(fixture.apache().get(fixture.expiringBearer()).status(), is(401));
        assertThat("a fresh one is still good",
                fixture.consumer().clientCredentials(mint(fixture.machine(), fixture.consumer().issuer())).status(), is(200));
        assertThat(fixture.apache().get(mint(fixture.machine(), RESOURCE_AUDIENCE)).status(), is(200));
    }

    private static Instant latestExpiry(String... tokens) throws Exception {
        Instant latest = Instant.EPOCH;
        for (String token : tokens) {
            Instant expiry = SignedJWT.parse(token).getJWTClaimsSet().getExpirationTime().toInstant();
            assertThat("minted with the org's 60 s lifetime", expiry.isAfter(Instant.now().plusSeconds(60)), is(false));
            latest = expiry.isAfter(latest) ? expiry : latest;
        }
        return latest;
    }

    /**
     * Keycloak's answer to a refused client assertion: RFC 6749's invalid_client, and no token; 401 when no client
     * matches the token's issuer and subject, 400 with the reason when the matching client's assertion is refused.
     */
    private static void assertRefused(JsonResponse answer, int status, String reason) {
        assertThat(answer.body(), answer.status(), is(status));
        assertThat(answer.body(), answer.json().get("error").asText(), is("invalid_client"));
        assertThat(answer.body(), answer.json().get("error_description").asText(), is(reason));
        assertThat(answer.body(), answer.json().has("access_token"), is(false));
    }

    private static String mint(TestMachine machine, String aud) {
        return machine.mint("{\"aud\":\"" + aud + "\"}");
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        }
    }
}
