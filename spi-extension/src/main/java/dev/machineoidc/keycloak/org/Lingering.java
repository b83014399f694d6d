package dev.machineoidc.keycloak.org;

import org.keycloak.models.RealmModel;

import java.time.Instant;
import java.util.Optional;

/**
 * A time setting whose old value outlives a change: tokens minted under a longer lifetime stay valid that long, JWKS
 * copies served with a longer max-age stay cached that long. Lowering such a setting records, as a realm attribute
 * (cluster-wide, exported with the realm), until when the old value still matters; key rotation waits for that too.
 * Raising needs no record: what was handed out under the old value ends before what the new value hands out.
 */
public enum Lingering {

    /** Until when a token minted before the lifetime was lowered may be unexpired. */
    TOKEN_LIFETIME("machine-oidc.token-lifetime-lingers-until"),
    /** Until when a JWKS fetched before the cache time was lowered may still be cached. */
    JWKS_CACHE("machine-oidc.jwks-cache-lingers-until");

    private final String attribute;

    Lingering(String attribute) {
        this.attribute = attribute;
    }

    public String attribute() {
        return attribute;
    }

    void record(RealmModel realm, int oldSeconds, int newSeconds, Instant now) {
        if (newSeconds >= oldSeconds) {
            return;
        }
        Instant until = now.plusSeconds(oldSeconds);
        if (until(realm).filter(recorded -> !recorded.isBefore(until)).isEmpty()) {
            realm.setAttribute(attribute, Long.toString(until.getEpochSecond()));
        }
    }

    /** Until when an earlier, longer value still matters; empty when none was recorded (or the record is unreadable). */
    public Optional<Instant> until(RealmModel realm) {
        try {
            String raw = realm.getAttribute(attribute);
            return raw == null ? Optional.empty() : Optional.of(Instant.ofEpochSecond(Long.parseLong(raw)));
        } catch (NumberFormatException e) {
            return Optional.empty();
        }
    }
}
