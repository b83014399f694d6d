package dev.machineoidc.keycloak.it.support;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JOSEObjectType;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.ECDSASigner;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;

import java.time.Duration;
import java.time.Instant;
import java.util.Date;

/**
 * Mint assertions as docs/bridge-protocol.md §2 describes them, made by the tests themselves (the bridge module has
 * its own production code), and bent one rule at a time to show that the extension refuses each.
 */
public final class MintAssertions {

    public static final String TYPE = "machine-mint+jwt";
    public static final Duration LIFETIME = Duration.ofSeconds(300);

    private MintAssertions() {
    }

    public static String audience(String org) {
        return "urn:machine-oidc:mint:" + org;
    }

    /** A valid assertion, signed now. */
    public static String sign(ECKey key, String clientId, String org) {
        return sign(key, TYPE, claims(clientId, audience(org), Instant.now(), LIFETIME));
    }

    public static JWTClaimsSet claims(String clientId, String audience, Instant issuedAt, Duration lifetime) {
        return new JWTClaimsSet.Builder()
                .issuer(clientId).subject(clientId).audience(audience)
                .issueTime(Date.from(issuedAt)).expirationTime(Date.from(issuedAt.plus(lifetime)))
                .build();
    }

    public static String sign(ECKey key, String type, JWTClaimsSet claims) {
        SignedJWT assertion = new SignedJWT(new JWSHeader.Builder(JWSAlgorithm.ES256).keyID(key.getKeyID())
                .type(new JOSEObjectType(type)).build(), claims);
        try {
            assertion.sign(new ECDSASigner(key));
        } catch (JOSEException e) {
            throw new IllegalStateException(e);
        }
        return assertion.serialize();
    }
}
