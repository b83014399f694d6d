package dev.machineoidc.bridge.keycloak;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JOSEObjectType;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.ECDSASigner;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import dev.machineoidc.bridge.identity.MachineIdentity;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Date;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicReference;

/**
 * The machine's proof for a mint call (docs/bridge-protocol.md §2): a JWS signed with the machine key that names the
 * machine's client and the org, usable for {@link #LIFETIME}. Reused until a third of its life is left, so a busy
 * bridge signs once every 200 s and a rare mint signs once (the JDK's ES256, a fraction of a millisecond of the
 * machine's own CPU); Keycloak verifies it on every call, so revoking or re-enrolling the machine counts at the next
 * mint whatever the bridge holds.
 */
public final class MintAssertion {

    static final String TYPE = "machine-mint+jwt";
    static final Duration LIFETIME = Duration.ofSeconds(300);
    private static final String AUDIENCE_PREFIX = "urn:machine-oidc:mint:";

    private final String clientId;
    private final String audience;
    private final JWSHeader header;
    private final ECDSASigner signer;
    private final Clock clock;
    private final AtomicReference<Signed> current = new AtomicReference<>();

    public MintAssertion(String org, MachineIdentity identity, Clock clock) {
        this.clientId = identity.registration().clientId();
        this.audience = AUDIENCE_PREFIX + org;
        this.header = new JWSHeader.Builder(JWSAlgorithm.ES256)
                .keyID(identity.key().getKeyID())
                .type(new JOSEObjectType(TYPE))
                .build();
        try {
            this.signer = new ECDSASigner(identity.key());
        } catch (JOSEException e) {
            throw new IllegalArgumentException("the machine key cannot sign ES256", e);
        }
        this.clock = clock;
    }

    /** @return an assertion with at least a third of its life left, signed now if the last one is older */
    public String current() {
        Instant now = clock.instant();
        Signed signed = current.get();
        if (signed == null || !now.isBefore(signed.renewAfter())) {
            signed = sign(now);
            current.set(signed);
        }
        return signed.jwt();
    }

    /**
     * @return when the assertion held now expires (possibly in the past, when no mint asked for a new one since);
     *     empty before the first mint
     */
    public Optional<Instant> expiresAt() {
        return Optional.ofNullable(current.get()).map(Signed::expiresAt);
    }

    /** Forgets the assertion Keycloak refused (unless another caller already replaced it): the next one is new. */
    void discard(String refused) {
        current.updateAndGet(signed -> signed != null && signed.jwt().equals(refused) ? null : signed);
    }

    private Signed sign(Instant now) {
        // The JWT's exp is in whole seconds.
        Instant expiresAt = now.plus(LIFETIME).truncatedTo(ChronoUnit.SECONDS);
        JWTClaimsSet claims = new JWTClaimsSet.Builder()
                .issuer(clientId)
                .subject(clientId)
                .audience(audience)
                .issueTime(Date.from(now))
                .expirationTime(Date.from(expiresAt))
                .build();
        SignedJWT jwt = new SignedJWT(header, claims);
        try {
            jwt.sign(signer);
        } catch (JOSEException e) {
            throw new IllegalStateException("could not sign the mint assertion", e);
        }
        return new Signed(jwt.serialize(), now.plus(LIFETIME.multipliedBy(2).dividedBy(3)), expiresAt);
    }

    /** {@link #toString()} leaves the assertion out. */
    private record Signed(String jwt, Instant renewAfter, Instant expiresAt) {

        @Override
        public String toString() {
            return "Signed[renewAfter=" + renewAfter + ", expiresAt=" + expiresAt + "]";
        }
    }
}
