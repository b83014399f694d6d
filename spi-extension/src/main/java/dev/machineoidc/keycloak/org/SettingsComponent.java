package dev.machineoidc.keycloak.org;

import org.keycloak.common.util.MultivaluedHashMap;
import org.jboss.logging.Logger;
import org.keycloak.component.ComponentModel;
import org.keycloak.models.KeycloakSessionFactory;
import org.keycloak.models.RealmModel;
import org.keycloak.services.ui.extend.UiTabProvider;

import java.util.Optional;

/**
 * Where an org's settings are stored: the component of its admin-console tab "Machine identity", the form the console
 * loads and saves. Keycloak stores components with the realm, exports them with it and invalidates them across the
 * cluster; every write (the admin API, the tab, an import) passes the tab's validation.
 */
public final class SettingsComponent {

    /** Also the tab's title: the console labels an extension tab with its provider id. */
    public static final String PROVIDER_ID = "Machine identity";

    private static final Logger LOG = Logger.getLogger(SettingsComponent.class);

    private SettingsComponent() {
    }

    /** Says at boot what fails without the tab: Keycloak refuses to store a component no provider stands behind. */
    public static void warnIfUnavailable(KeycloakSessionFactory factory) {
        if (factory.getProviderFactory(UiTabProvider.class, PROVIDER_ID) == null) {
            LOG.error("Machine OIDC stores each org's settings in its admin-console tab, which needs the feature "
                    + "declarative-ui (kc.sh build --features=declarative-ui): without it, creating an org and saving "
                    + "its settings fail, and orgs mint with the settings stored before.");
        }
    }

    /** The org's settings component, if it has one (read from the cached realm). */
    public static Optional<ComponentModel> find(RealmModel realm) {
        return realm.getComponentsStream(realm.getId(), UiTabProvider.class.getName())
                .filter(component -> PROVIDER_ID.equals(component.getProviderId()))
                .findFirst();
    }

    /** Stores this config, creating the component if the realm has none; Keycloak runs the tab's validation first. */
    static void save(RealmModel realm, MultivaluedHashMap<String, String> config) {
        Optional<ComponentModel> existing = find(realm);
        ComponentModel component = existing.map(ComponentModel::new).orElseGet(ComponentModel::new);
        component.setConfig(config);
        if (existing.isPresent()) {
            realm.updateComponent(component);
        } else {
            component.setName(PROVIDER_ID);
            component.setProviderType(UiTabProvider.class.getName());
            component.setProviderId(PROVIDER_ID);
            component.setParentId(realm.getId());
            realm.addComponentModel(component);
        }
    }

    /**
     * Saves the component unchanged, so the tab's validation brings its read-only fields (issuer, signing keys) up to
     * date; for whoever changes what they show, such as a key rotation.
     */
    public static void touch(RealmModel realm) {
        find(realm).ifPresent(component -> realm.updateComponent(new ComponentModel(component)));
    }
}
