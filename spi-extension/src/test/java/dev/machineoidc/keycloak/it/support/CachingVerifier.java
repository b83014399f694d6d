package dev.machineoidc.keycloak.it.support;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.KeySourceException;
import com.nimbusds.jose.crypto.RSASSAVerifier;
import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.source.CachingJWKSetSource;
import com.nimbusds.jose.jwk.source.JWKSetCacheRefreshEvaluator;
import com.nimbusds.jose.jwk.source.URLBasedJWKSetSource;
import com.nimbusds.jose.proc.SecurityContext;
import com.nimbusds.jose.util.DefaultResourceRetriever;
import com.nimbusds.jwt.SignedJWT;

import java.net.MalformedURLException;
import java.net.URI;
import java.text.ParseException;
import java.time.Duration;
import java.util.List;

/**
 * A relying party as strict as they come: nimbus's caching JWKS source keeps the set for a fixed time and this
 * verifier never refetches on an unknown {@code kid} (as Vault and many SDKs between their refreshes). A token whose
 * key appeared in the JWKS after the cached copy was fetched is refused.
 */
public final class CachingVerifier {

    private final CachingJWKSetSource<SecurityContext> keys;

    public CachingVerifier(String jwksUrl, Duration cacheLifetime) {
        try {
            keys = new CachingJWKSetSource<>(
                    new URLBasedJWKSetSource<>(URI.create(jwksUrl).toURL(), new DefaultResourceRetriever(5_000, 5_000)),
                    cacheLifetime.toMillis(), 10_000, null);
        } catch (MalformedURLException e) {
            throw new IllegalArgumentException(jwksUrl, e);
        }
    }

    /** The set as the verifier has it now: fetched again only when the cached copy has outlived its lifetime. */
    public JWKSet cached() {
        try {
            return keys.getJWKSet(JWKSetCacheRefreshEvaluator.noRefresh(), System.currentTimeMillis(), null);
        } catch (KeySourceException e) {
            throw new IllegalStateException("JWKS unavailable", e);
        }
    }

    public List<String> cachedKids() {
        return cached().getKeys().stream().map(JWK::getKeyID).toList();
    }

    /** Verifies the token's signature with the cached set; the kid of the key that verified it. */
    public String verify(String jwt) throws VerificationFailure {
        try {
            SignedJWT token = SignedJWT.parse(jwt);
            String kid = token.getHeader().getKeyID();
            JWK key = cached().getKeyByKeyId(kid);
            if (key == null) {
                throw new VerificationFailure("kid " + kid + " is not in the cached JWKS");
            }
            if (!token.verify(new RSASSAVerifier(key.toRSAKey()))) {
                throw new VerificationFailure("bad signature for kid " + kid);
            }
            return kid;
        } catch (ParseException | JOSEException e) {
            throw new VerificationFailure(e.toString());
        }
    }

    public static final class VerificationFailure extends Exception {
        VerificationFailure(String message) {
            super(message);
        }
    }
}
