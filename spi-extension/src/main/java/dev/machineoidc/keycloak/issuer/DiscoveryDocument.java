package dev.machineoidc.keycloak.issuer;

import dev.machineoidc.keycloak.claims.MachineClaim;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** The OpenID discovery fields an org's verifiers (AWS, Vault, GCP, Azure) rely on. */
public final class DiscoveryDocument {

    private static final List<String> STANDARD_CLAIMS = List.of("iss", "sub", "aud", "exp", "iat", "nbf", "jti");

    private DiscoveryDocument() {
    }

    public static Map<String, Object> of(OrgIssuer issuer) {
        Map<String, Object> document = new LinkedHashMap<>();
        document.put("issuer", issuer.issuer());
        document.put("jwks_uri", issuer.jwksUri());
        overrideContractFields(document);
        return document;
    }

    /** Puts the contract's fields over another document (Keycloak's own, for an org realm without a custom base). */
    public static void overrideContractFields(Map<String, Object> document) {
        document.put("response_types_supported", List.of("id_token"));
        document.put("subject_types_supported", List.of("public"));
        document.put("id_token_signing_alg_values_supported", List.of("RS256"));
        document.put("claims_supported", claimsSupported());
    }

    static List<String> claimsSupported() {
        List<String> claims = new ArrayList<>(STANDARD_CLAIMS);
        claims.addAll(MachineClaim.names());
        claims.add(MachineClaim.AWS_TAGS_CLAIM);
        return claims;
    }
}
