package dev.machineoidc.keycloak.keys;

import dev.machineoidc.keycloak.org.Lingering;
import dev.machineoidc.keycloak.org.OrgSettings;
import dev.machineoidc.keycloak.refusal.Refusal;
import org.keycloak.models.RealmModel;

import java.time.Duration;
import java.time.Instant;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;

/**
 * When each rotation phase may run, so that no verifier ever meets a token whose key it cannot have.
 * <ul>
 * <li><b>activate</b>: a verifier or proxy may keep a JWKS copy fetched just before the next key was published for
 * the org's {@code jwks_cache_seconds}; under a cache time lowered earlier, copies fetched before the lowering for the
 * old, longer time ({@link Lingering#JWKS_CACHE}). The next key signs only once every copy without it has expired.</li>
 * <li><b>retire</b>: a previous key is on tokens minted until it stopped signing, each valid for the token lifetime
 * then in effect, or for a longer lifetime in effect earlier ({@link Lingering#TOKEN_LIFETIME}: lowering the
 * lifetime just before activation does not shorten the wait). Verifiers accept a token a while past its {@code exp}
 * (Vault: 150 s), and one that sees such a token after refetching the JWKS must still find its key. So the key stays
 * until the latest exp plus that leeway.</li>
 * </ul>
 * Both add {@link #PROPAGATION}: the moment a phase commits is not the moment every node of a cluster acts on it
 * (cached realm invalidated, a mint that already picked the old key finishing).
 */
public final class RotationRules {

    /** Covers the cluster-wide invalidation of the realm's keys and mints in flight when a phase commits. */
    public static final Duration PROPAGATION = Duration.ofSeconds(5);
    /** The longest exp leeway of the verifiers we know (Vault's default {@code expiration_leeway}). */
    public static final Duration VERIFIER_EXP_LEEWAY = Duration.ofSeconds(150);

    private final OrgSettings settings;
    private final Optional<Instant> lifetimeLingers;
    private final Optional<Instant> jwksCacheLingers;

    public RotationRules(OrgSettings settings, Optional<Instant> lifetimeLingers, Optional<Instant> jwksCacheLingers) {
        this.settings = settings;
        this.lifetimeLingers = lifetimeLingers;
        this.jwksCacheLingers = jwksCacheLingers;
    }

    public static RotationRules of(RealmModel realm) {
        return new RotationRules(OrgSettings.of(realm), Lingering.TOKEN_LIFETIME.until(realm), Lingering.JWKS_CACHE.until(realm));
    }

    /** From when a key published at {@code publishedAt} is in every cached copy of the JWKS, so it may sign. */
    public Instant activateAfter(Instant publishedAt) {
        Instant cachedOut = publishedAt.plusSeconds(settings.jwksCacheSeconds());
        return latest(cachedOut, jwksCacheLingers).plus(PROPAGATION);
    }

    /** From when no token signed by a key that stops signing at {@code deactivatedAt} can be accepted by a verifier. */
    public Instant retireAfter(Instant deactivatedAt) {
        Instant lastExp = deactivatedAt.plus(PROPAGATION).plusSeconds(settings.tokenLifetimeSeconds());
        return latest(lastExp, lifetimeLingers).plus(VERIFIER_EXP_LEEWAY);
    }

    /** Refuses a second next key: the one there is must be activated first. */
    public void checkPrepare(List<RotationKey> keys) {
        Optional<RotationKey> next = first(keys, KeyState.NEXT);
        if (next.isPresent()) {
            throw Refusal.conflictUntilStep("next_key_exists", "Key " + next.get().kid() + " is already the next key; "
                    + "activate it before preparing another.", "activate");
        }
    }

    /** The next key to activate now, or a 409 saying there is none or from when it may sign. */
    public RotationKey checkActivate(List<RotationKey> keys, Instant now) {
        RotationKey next = keys.stream().filter(key -> key.state() == KeyState.NEXT)
                .min(Comparator.comparing(RotationKey::activateAfter))
                .orElseThrow(() -> Refusal.conflictUntilStep("no_next_key", "There is no next key to activate; "
                        + "prepare one first.", "prepare"));
        if (now.isBefore(next.activateAfter())) {
            throw Refusal.conflictUntil("next_key_not_yet_cached", "Key " + next.kid() + " may sign from "
                    + next.activateAfter() + ": verifiers and proxies may hold a copy of the JWKS without it until then "
                    + "(jwks_cache_seconds " + settings.jwksCacheSeconds() + ").", next.activateAfter(), now);
        }
        return next;
    }

    /**
     * The previous keys to remove now: all of those the rotation deactivated, or a 409 while a token signed by one of
     * them may still be accepted. Keys made passive outside the rotation are left alone: nothing says since when.
     */
    public List<RotationKey> checkRetire(List<RotationKey> keys, Instant now) {
        List<RotationKey> previous = keys.stream()
                .filter(key -> key.state() == KeyState.PREVIOUS && key.retireAfter() != null).toList();
        if (previous.isEmpty()) {
            String unmanaged = keys.stream().anyMatch(key -> key.state() == KeyState.PREVIOUS)
                    ? " (passive keys made so in Keycloak's Keys tab are not the rotation's to remove)" : "";
            throw Refusal.conflictUntilStep("no_previous_key", "There is no previous key to retire" + unmanaged
                    + "; activate a next key first.", "activate");
        }
        Instant allowedAt = previous.stream().map(RotationKey::retireAfter).max(Comparator.naturalOrder()).orElseThrow();
        if (now.isBefore(allowedAt)) {
            throw Refusal.conflictUntil("previous_key_in_use", "Tokens signed by "
                    + previous.stream().map(RotationKey::kid).toList() + " may be accepted until " + allowedAt
                    + " (the longest token lifetime while they signed, " + PROPAGATION.toSeconds()
                    + " s for the cluster and " + VERIFIER_EXP_LEEWAY.toSeconds() + " s verifier leeway).", allowedAt, now);
        }
        return previous;
    }

    private static Optional<RotationKey> first(List<RotationKey> keys, KeyState state) {
        return keys.stream().filter(key -> key.state() == state).findFirst();
    }

    private static Instant latest(Instant instant, Optional<Instant> other) {
        return other.filter(instant::isBefore).orElse(instant);
    }
}
