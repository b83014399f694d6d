package dev.machineoidc.bridge.keycloak;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JOSEObjectType;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.JWSSigner;
import com.nimbusds.jose.crypto.ECDSASigner;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import dev.machineoidc.bridge.identity.MachineIdentity;
import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.UUID;

/** The {@code private_key_jwt} that proves the bridge holds the machine's key (RFC 7523). */
final class ClientAssertion {

    static final String TYPE = "urn:ietf:params:oauth:client-assertion-type:jwt-bearer";
    private static final String TOKEN_ENDPOINT_SUFFIX = "/protocol/openid-connect/token";
    private static final Duration LIFETIME = Duration.ofSeconds(60);

    private final String clientId;
    private final String audience;
    private final JWSHeader header;
    private final JWSSigner signer;
    private final Clock clock;

    ClientAssertion(MachineIdentity identity, Clock clock) {
        this.clientId = identity.registration().clientId();
        this.audience = realmIssuer(identity.registration().tokenEndpoint());
        this.header = new JWSHeader.Builder(JWSAlgorithm.ES256)
                .keyID(identity.key().getKeyID())
                .type(JOSEObjectType.JWT)
                .build();
        try {
            this.signer = new ECDSASigner(identity.key());
        } catch (JOSEException e) {
            throw new IllegalArgumentException("the machine key cannot sign ES256", e);
        }
        this.clock = clock;
    }

    /**
     * The realm issuer as Keycloak itself spells it, taken from the token endpoint it handed out at
     * enrollment: the configured URL may be an internal name that Keycloak would not accept as audience.
     */
    static String realmIssuer(URI tokenEndpoint) {
        String endpoint = tokenEndpoint.toString();
        if (!endpoint.endsWith(TOKEN_ENDPOINT_SUFFIX)) {
            throw new IllegalArgumentException("unexpected token endpoint " + endpoint);
        }
        return endpoint.substring(0, endpoint.length() - TOKEN_ENDPOINT_SUFFIX.length());
    }

    String create() {
        Instant now = clock.instant();
        JWTClaimsSet claims = new JWTClaimsSet.Builder()
                .issuer(clientId)
                .subject(clientId)
                .audience(audience)
                .jwtID(UUID.randomUUID().toString())
                .issueTime(Date.from(now))
                .expirationTime(Date.from(now.plus(LIFETIME)))
                .build();
        SignedJWT jwt = new SignedJWT(header, claims);
        try {
            jwt.sign(signer);
        } catch (JOSEException e) {
            throw new IllegalStateException("could not sign the client assertion", e);
        }
        return jwt.serialize();
    }
}
