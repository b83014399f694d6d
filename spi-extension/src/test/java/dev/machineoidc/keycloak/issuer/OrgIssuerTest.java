package dev.machineoidc.keycloak.issuer;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.net.URI;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.is;

/** The realm issuer as Keycloak spells it (MintIT checks it against Keycloak's own discovery document too). */
class OrgIssuerTest {

    @ParameterizedTest
    @CsvSource({
            "http://127.0.0.1:8080/, example-org, http://127.0.0.1:8080/realms/example-org",
            "http://127.0.0.1:8080, example-org, http://127.0.0.1:8080/realms/example-org",
            "https://sso.example.com/auth/, org-1, https://sso.example.com/auth/realms/org-1"})
    void orgNamesJoinTheBaseUrlAsIs(String base, String org, String issuer) {
        assertThat(OrgIssuer.realmIssuer(URI.create(base), org), is(issuer));
    }
}
