package dev.machineoidc.keycloak.signing;

import dev.machineoidc.keycloak.keys.ComponentKeys;
import org.keycloak.component.ComponentModel;
import org.keycloak.crypto.Algorithm;
import org.keycloak.crypto.KeyUse;
import org.keycloak.crypto.KeyWrapper;
import org.keycloak.keys.KeyProvider;
import org.keycloak.models.KeycloakSession;
import org.keycloak.models.RealmModel;

import java.util.Comparator;
import java.util.List;
import java.util.Optional;

/**
 * The realm's active RS256 signing key, picked as Keycloak's key manager picks it (key providers by priority, then
 * id; the first active RS256 signing key), but from each provider's keys kept as a note on its component. Keycloak's
 * manager instantiates every key provider of the realm on every request, checking each certificate's dates: 15 % of
 * a mint's own work in a profile. The notes live on the components of Keycloak's cached realm, so any change to the
 * realm's keys replaces them with the cache entry, as it does the key itself; each node keeps its own.
 */
final class ActiveRs256Key {

    static final String KEYS_NOTE = "dev.machineoidc.provider-keys";
    private static final Comparator<ComponentModel> BY_PRIORITY = Comparator
            .comparingLong((ComponentModel component) -> component.get("priority", 0L)).reversed()
            .thenComparing(ComponentModel::getId);

    private ActiveRs256Key() {
    }

    static KeyWrapper of(KeycloakSession session, RealmModel realm) {
        return realm.getComponentsStream(realm.getId(), KeyProvider.class.getName())
                .sorted(BY_PRIORITY)
                .flatMap(component -> keys(session, component).stream())
                .filter(key -> key.getStatus().isActive() && KeyUse.SIG.equals(key.getUse())
                        && Algorithm.RS256.equals(key.getAlgorithmOrDefault()))
                .findFirst()
                // No such key yet: Keycloak's manager is the one that generates a realm's fallback key.
                .orElseGet(() -> session.keys().getActiveKey(realm, KeyUse.SIG, Algorithm.RS256));
    }

    @SuppressWarnings("unchecked")
    private static List<KeyWrapper> keys(KeycloakSession session, ComponentModel component) {
        if (component.getNote(KEYS_NOTE) instanceof List<?> kept) {
            return (List<KeyWrapper>) kept;
        }
        // A provider that fails to load is skipped without being kept, so the next mint tries it again.
        Optional<List<KeyWrapper>> keys = ComponentKeys.load(session, component);
        keys.ifPresent(loaded -> component.setNote(KEYS_NOTE, loaded));
        return keys.orElse(List.of());
    }
}
