package dev.machineoidc.keycloak.console;

import dev.machineoidc.keycloak.issuer.OrgIssuer;
import dev.machineoidc.keycloak.keys.OrgKeys;
import dev.machineoidc.keycloak.keys.RotationRules;
import dev.machineoidc.keycloak.org.OrgSettings;
import org.keycloak.common.util.MultivaluedHashMap;
import org.keycloak.component.ComponentModel;
import org.keycloak.models.KeycloakSession;
import org.keycloak.models.RealmModel;
import org.keycloak.services.ui.extend.UiTabProvider;

import java.util.Optional;

/**
 * Keeps the Machine identity tab's component a mirror of the org's settings, so the console shows what minting uses:
 * the console only ever reads the component, while the settings live in realm attributes that the REST API changes
 * too. The component is created by the first refresh ({@link TabMirrorRefresh}) or the console's first save; like the
 * attributes, it is stored with the realm, exported with it and invalidated across the cluster by Keycloak.
 */
final class TabMirror {

    private final KeycloakSession session;

    TabMirror(KeycloakSession session) {
        this.session = session;
    }

    /** The tab's component of a realm, if the console or a refresh created one. */
    static Optional<ComponentModel> find(RealmModel realm) {
        return realm.getComponentsStream(realm.getId(), UiTabProvider.class.getName())
                .filter(component -> MachineIdentityTab.PROVIDER_ID.equals(component.getProviderId()))
                .findFirst();
    }

    /**
     * Brings the tab of an org realm in line with its settings and issuer; does nothing for other realms, when the
     * mirror is current, or when the tab is not deployed (feature {@code declarative-ui} off).
     */
    void refresh(RealmModel realm) {
        if (!OrgSettings.isOrg(realm) || !tabDeployed()) {
            return;
        }
        MultivaluedHashMap<String, String> wanted = SettingsForm.mirror(OrgSettings.of(realm), OrgIssuer.of(session, realm).issuer(),
                new OrgKeys(session, realm, RotationRules.of(realm)).list());
        Optional<ComponentModel> existing = find(realm);
        if (existing.isEmpty()) {
            ComponentModel tab = new ComponentModel();
            tab.setName(MachineIdentityTab.PROVIDER_ID);
            tab.setProviderType(UiTabProvider.class.getName());
            tab.setProviderId(MachineIdentityTab.PROVIDER_ID);
            tab.setParentId(realm.getId());
            tab.setConfig(wanted);
            realm.addComponentModel(tab);
        } else if (!SettingsForm.sameForm(existing.get().getConfig(), wanted)) {
            ComponentModel tab = new ComponentModel(existing.get());
            tab.setConfig(wanted);
            realm.updateComponent(tab);
        }
    }

    private boolean tabDeployed() {
        return session.getKeycloakSessionFactory().getProviderFactory(UiTabProvider.class, MachineIdentityTab.PROVIDER_ID) != null;
    }
}
