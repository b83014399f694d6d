package dev.machineoidc.keycloak.it.support;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.machineoidc.arquillian.JsonResponse;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.Map;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.is;

/**
 * A plain realm (not an org) of the test server that trusts an org as another Keycloak would: an OIDC identity provider
 * with the org's issuer and JWKS that supports client assertions, and a confidential client authenticated by
 * Keycloak's {@code federated-jwt} authenticator, which takes one machine's token (its {@code sub}) as the assertion.
 */
public final class FederatedClientRealm {

    public static final String IDP_ALIAS = "machine-org";
    public static final String CLIENT_ID = "workload";

    private final Keycloak keycloak;
    private final String realm;

    private FederatedClientRealm(Keycloak keycloak, String realm) {
        this.keycloak = keycloak;
        this.realm = realm;
    }

    public static FederatedClientRealm create(Keycloak keycloak, String admin, String realm, String orgIssuer,
                                              String orgJwksUrl, String machineSubject) {
        Http http = keycloak.http();
        Keycloak.assertCreated(http.json("POST", keycloak.baseUrl() + "/admin/realms", admin,
                Map.of("realm", realm, "enabled", true)));
        Keycloak.assertCreated(http.json("POST", keycloak.admin(realm, "/identity-provider/instances"), admin, Map.of(
                "alias", IDP_ALIAS, "providerId", "oidc", "enabled", true,
                "config", Map.of("issuer", orgIssuer, "useJwksUrl", "true", "jwksUrl", orgJwksUrl,
                        "validateSignature", "true", "supportsClientAssertions", "true"))));
        Keycloak.assertCreated(http.json("POST", keycloak.admin(realm, "/clients"), admin, Map.of(
                "clientId", CLIENT_ID, "publicClient", false, "serviceAccountsEnabled", true, "standardFlowEnabled", false,
                "clientAuthenticatorType", "federated-jwt",
                "attributes", Map.of("jwt.credential.issuer", IDP_ALIAS, "jwt.credential.sub", machineSubject))));
        return new FederatedClientRealm(keycloak, realm);
    }

    /**
     * Sets the identity provider's {@code fedClientAssertionMaxExp}: how many seconds after its {@code iat} Keycloak still
     * takes an assertion (default 300).
     */
    public void limitAssertionAge(String admin, int seconds) {
        String url = keycloak.admin(realm, "/identity-provider/instances/" + IDP_ALIAS);
        JsonResponse current = keycloak.http().get(url, admin);
        assertThat(current.body(), current.status(), is(200));
        ObjectNode provider = (ObjectNode) current.json();
        ((ObjectNode) provider.get("config")).put("fedClientAssertionMaxExp", Integer.toString(seconds));
        JsonResponse updated = keycloak.http().json("PUT", url, admin, provider.toString());
        assertThat(updated.body(), updated.status(), is(204));
    }

    /** The realm's issuer: the {@code aud} Keycloak requires of a client assertion. */
    public String issuer() {
        return keycloak.baseUrl() + "/realms/" + realm;
    }

    /** A client_credentials grant with {@code assertion} as the client's credential (RFC 7523 §2.2). */
    public JsonResponse clientCredentials(String assertion) {
        return keycloak.http().form(issuer() + "/protocol/openid-connect/token",
                "grant_type=client_credentials"
                        + "&client_assertion_type=" + URLEncoder.encode("urn:ietf:params:oauth:client-assertion-type:jwt-bearer", StandardCharsets.UTF_8)
                        + "&client_assertion=" + URLEncoder.encode(assertion, StandardCharsets.UTF_8));
    }
}
