package dev.machineoidc.keycloak.issuer;

import dev.machineoidc.keycloak.claims.MachineClaim;
import org.junit.jupiter.api.Test;

import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.hasItems;
import static org.hamcrest.Matchers.is;

class DiscoveryDocumentTest {

    @Test
    void contractFieldsOverrideKeycloaksOwn() {
        Map<String, Object> document = new LinkedHashMap<>();
        document.put("issuer", "http://localhost:8080/realms/example-org");
        document.put("jwks_uri", "http://localhost:8080/realms/example-org/protocol/openid-connect/certs");
        document.put("response_types_supported", List.of("code", "none", "id_token", "token", "code id_token"));
        document.put("subject_types_supported", List.of("public", "pairwise"));
        document.put("id_token_signing_alg_values_supported", List.of("PS384", "ES384", "RS256", "HS256", "EdDSA"));
        document.put("claims_supported", List.of("aud", "sub", "iss", "auth_time", "name", "email"));
        document.put("token_endpoint", "http://localhost:8080/realms/example-org/protocol/openid-connect/token");

        DiscoveryDocument.overrideContractFields(document);

        assertThat(document.get("response_types_supported"), is(List.of("id_token")));
        assertThat(document.get("subject_types_supported"), is(List.of("public")));
        assertThat(document.get("id_token_signing_alg_values_supported"), is(List.of("RS256")));
        // what the contract does not name is left alone
        assertThat(document.get("issuer"), is("http://localhost:8080/realms/example-org"));
        assertThat(document.get("jwks_uri"), is("http://localhost:8080/realms/example-org/protocol/openid-connect/certs"));
        assertThat(document.get("token_endpoint"), is("http://localhost:8080/realms/example-org/protocol/openid-connect/token"));
        assertThat(document.size(), is(7));
    }

    @Test
    void contractFieldsAreAddedToAnEmptyDocument() {
        Map<String, Object> document = new LinkedHashMap<>();
        DiscoveryDocument.overrideContractFields(document);
        assertThat(document.keySet(), is(new HashSet<>(List.of("response_types_supported", "subject_types_supported",
                "id_token_signing_alg_values_supported", "claims_supported"))));
    }

    @Test
    @SuppressWarnings("unchecked")
    void claimsSupportedHasEveryTokenClaim() {
        Map<String, Object> document = new LinkedHashMap<>();
        DiscoveryDocument.overrideContractFields(document);
        List<String> claims = (List<String>) document.get("claims_supported");
        assertThat(claims, hasItems("iss", "sub", "aud", "exp", "iat", "nbf", "jti"));
        assertThat(claims, hasItems("org_id", "org_name", "app_id", "app_name", "machine_id", "machine_name",
                "machine_version", "image", "image_digest", "region"));
        for (String name : MachineClaim.names()) {
            assertThat(claims, hasItem(name));
        }
        assertThat(claims, hasItem("https://aws.amazon.com/tags"));
        assertThat("no duplicates", new HashSet<>(claims).size(), is(claims.size()));
        assertThat(claims.size(), is(7 + MachineClaim.values().length + 1));
    }

    @Test
    void claimsSupportedIsTheSameList() {
        assertThat(DiscoveryDocument.claimsSupported(), is(DiscoveryDocument.claimsSupported()));
        Map<String, Object> document = new LinkedHashMap<>();
        DiscoveryDocument.overrideContractFields(document);
        assertThat(document.get("claims_supported"), is(DiscoveryDocument.claimsSupported()));
    }
}
