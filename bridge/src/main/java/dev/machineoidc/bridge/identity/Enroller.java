package dev.machineoidc.bridge.identity;

import com.nimbusds.jose.jwk.ECKey;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Decides whether to enroll: a token not yet consumed means a new key and a new registration; a token
 * already consumed (same SHA-256 as stored) or none at all means the stored identity.
 */
public final class Enroller {

    private static final Logger LOG = LoggerFactory.getLogger(Enroller.class);

    private final StateDir state;
    private final Registrar registrar;
    private final String machineId;

    public Enroller(StateDir state, Registrar registrar, String machineId) {
        this.state = state;
        this.registrar = registrar;
        this.machineId = machineId;
    }

    public MachineIdentity establish(Optional<String> enrollmentToken) throws EnrollmentException {
        if (enrollmentToken.isPresent()) {
            String hash = sha256Hex(enrollmentToken.get());
            Optional<StoredEnrollment> stored = loadReplaceable();
            if (stored.isPresent() && stored.get().machineId().equals(machineId) && MessageDigest.isEqual(
                    hash.getBytes(StandardCharsets.US_ASCII),
                    stored.get().enrollmentTokenSha256().getBytes(StandardCharsets.US_ASCII))) {
                LOG.info("Enrollment token already consumed; using the stored identity of machine {}", machineId);
                return stored.get().identity();
            }
            return enroll(enrollmentToken.get(), hash);
        }
        StoredEnrollment stored = state.load().orElseThrow(() -> new EnrollmentException(
                "machine " + machineId + " is not enrolled: start the bridge once with its enrollment token"));
        if (!stored.machineId().equals(machineId)) {
            throw new EnrollmentException("the state directory belongs to machine " + stored.machineId()
                    + ", not " + machineId);
        }
        return stored.identity();
    }

    /** Broken state is no obstacle when a new token is at hand: enrolling replaces it. */
    private Optional<StoredEnrollment> loadReplaceable() {
        try {
            return state.load();
        } catch (EnrollmentException e) {
            LOG.warn("Replacing the stored state: {}", e.getMessage());
            return Optional.empty();
        }
    }

    /**
     * The old state stays in place until Keycloak has accepted the new key; the directory is checked
     * first, as a key that cannot be stored would waste the one-time token.
     */
    private MachineIdentity enroll(String token, String tokenHash) throws EnrollmentException {
        try {
            state.requireWritable();
        } catch (IOException e) {
            throw new EnrollmentException("cannot use the state directory: " + e.getMessage(), e);
        }
        ECKey key = MachineKeys.generate();
        Registration registration = registrar.register(token, key.toPublicJWK());
        MachineIdentity identity = new MachineIdentity(key, registration);
        try {
            state.save(new StoredEnrollment(machineId, identity, tokenHash));
        } catch (IOException e) {
            throw new EnrollmentException("enrolled, but could not store the key in the state directory: " + e.getMessage(), e);
        }
        LOG.info("Enrolled machine {} as client {} (key {})", machineId, registration.clientId(), key.getKeyID());
        return identity;
    }

    static String sha256Hex(String value) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(value.getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(digest);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is missing from this JVM", e);
        }
    }
}
