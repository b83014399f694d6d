package dev.machineoidc.keycloak.it.support;

import dev.machineoidc.arquillian.JsonResponse;

import com.fasterxml.jackson.databind.JsonNode;
import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JOSEObjectType;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.source.ImmutableJWKSet;
import com.nimbusds.jose.proc.BadJOSEException;
import com.nimbusds.jose.proc.DefaultJOSEObjectTypeVerifier;
import com.nimbusds.jose.proc.JWSVerificationKeySelector;
import com.nimbusds.jose.proc.SecurityContext;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import com.nimbusds.jwt.proc.DefaultJWTProcessor;

import java.text.ParseException;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.is;

/**
 * Verifies a token the way an outside consumer does: only {@code <iss>/.well-known/openid-configuration} and the
 * {@code jwks_uri} it names, over HTTP, with nimbus — no shortcut into Keycloak.
 */
public final class DiscoveryVerifier {

    private final Http http = new Http();

    public JsonNode discovery(String issuer) {
        JsonResponse answer = http.get(issuer + "/.well-known/openid-configuration", null);
        assertThat(answer.body(), answer.status(), is(200));
        return answer.json();
    }

    public JWTClaimsSet verify(String jwt) {
        try {
            String issuer = SignedJWT.parse(jwt).getJWTClaimsSet().getIssuer();
            JsonNode discovery = discovery(issuer);
            assertThat("discovery issuer", discovery.get("issuer").asText(), is(issuer));
            JsonResponse keys = http.get(discovery.get("jwks_uri").asText(), null);
            assertThat(keys.body(), keys.status(), is(200));
            DefaultJWTProcessor<SecurityContext> processor = new DefaultJWTProcessor<>();
            processor.setJWSTypeVerifier(new DefaultJOSEObjectTypeVerifier<>(JOSEObjectType.JWT));
            processor.setJWSKeySelector(new JWSVerificationKeySelector<>(JWSAlgorithm.RS256,
                    new ImmutableJWKSet<>(JWKSet.parse(keys.body()))));
            processor.setJWTClaimsSetVerifier((claims, context) -> { });
            return processor.process(jwt, null);
        } catch (ParseException | BadJOSEException | JOSEException e) {
            throw new AssertionError("token does not verify through discovery: " + e.getMessage(), e);
        }
    }
}
