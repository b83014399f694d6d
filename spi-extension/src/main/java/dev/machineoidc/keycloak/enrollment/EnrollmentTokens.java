package dev.machineoidc.keycloak.enrollment;

import org.keycloak.models.ClientModel;
import org.keycloak.models.SingleUseObjectProvider;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.time.Clock;
import java.util.Base64;
import java.util.HexFormat;
import java.util.Map;

/**
 * One-time enrollment tokens. The client keeps only a hash of the newest token (so a new one supersedes the old);
 * Keycloak's cluster-wide single-use store makes a token usable exactly once even when two nodes race.
 */
public final class EnrollmentTokens {

    static final String HASH = "machine-oidc.enrollment-hash";
    static final String EXPIRES_AT = "machine-oidc.enrollment-expires-at";
    private static final String KEY_PREFIX = "machine-oidc-enrollment:";
    private static final SecureRandom RANDOM = new SecureRandom();

    private final SingleUseObjectProvider singleUse;
    private final Clock clock;

    public EnrollmentTokens(SingleUseObjectProvider singleUse, Clock clock) {
        this.singleUse = singleUse;
        this.clock = clock;
    }

    public record Issued(String token, long expiresAt) {
    }

    public Issued issue(ClientModel machine, int lifetimeSeconds) {
        byte[] secret = new byte[32];
        RANDOM.nextBytes(secret);
        String token = Base64.getUrlEncoder().withoutPadding().encodeToString(secret);
        String hash = hash(token);
        long expiresAt = clock.instant().getEpochSecond() + lifetimeSeconds;
        machine.setAttribute(HASH, hash);
        machine.setAttribute(EXPIRES_AT, Long.toString(expiresAt));
        singleUse.put(KEY_PREFIX + hash, lifetimeSeconds, Map.of("client", machine.getId()));
        return new Issued(token, expiresAt);
    }

    /** @return true exactly once for the machine's current, unexpired token */
    public boolean consume(ClientModel machine, String token) {
        if (token == null || token.isEmpty() || token.length() > 256) {
            return false;
        }
        String hash = hash(token);
        if (!MessageDigest.isEqual(hash.getBytes(StandardCharsets.US_ASCII), bytes(machine.getAttribute(HASH)))) {
            return false;
        }
        long expiresAt = parseLong(machine.getAttribute(EXPIRES_AT));
        if (clock.instant().getEpochSecond() >= expiresAt) {
            return false;
        }
        Map<String, String> entry = singleUse.remove(KEY_PREFIX + hash);
        if (entry == null || !machine.getId().equals(entry.get("client"))) {
            return false;
        }
        machine.removeAttribute(HASH);
        machine.removeAttribute(EXPIRES_AT);
        return true;
    }

    private static byte[] bytes(String value) {
        return value == null ? new byte[0] : value.getBytes(StandardCharsets.US_ASCII);
    }

    private static long parseLong(String value) {
        try {
            return Long.parseLong(value);
        } catch (NumberFormatException e) {
            return 0;
        }
    }

    static String hash(String token) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(token.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
