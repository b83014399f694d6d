package dev.machineoidc.keycloak.org;

import org.keycloak.component.ComponentModel;
import org.keycloak.models.RealmModel;

import java.util.Optional;

/**
 * The org's settings as the mint path reads them: parsed once per version of Keycloak's cached realm (audience
 * patterns compiled, subject template checked), not on every call. Kept as a note on a component of the cached realm,
 * as signing keeps its provider keys: saving the settings updates their component, which invalidates the cached realm
 * on every node (Keycloak's cached {@code RealmAdapter.updateComponent} registers a realm invalidation), and the new
 * cache entry brings new components without notes. A realm changed within this session hands out components fresh
 * from the database each time, so a note never outlives the settings it was read from; each node keeps its own.
 */
public final class CachedOrgSettings {

    static final String NOTE = "dev.machineoidc.org-settings";

    private CachedOrgSettings() {
    }

    public static OrgSettings of(RealmModel org) {
        // Every org has components of its own (its key providers); without any, the settings are read each time.
        Optional<ComponentModel> holder = org.getComponentsStream(org.getId()).findFirst();
        if (holder.isPresent() && holder.get().getNote(NOTE) instanceof OrgSettings kept) {
            return kept;
        }
        OrgSettings settings = OrgSettings.of(org);
        holder.ifPresent(component -> component.setNote(NOTE, settings));
        return settings;
    }
}
