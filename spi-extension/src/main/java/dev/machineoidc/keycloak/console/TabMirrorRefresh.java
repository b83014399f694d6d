package dev.machineoidc.keycloak.console;

import org.jboss.logging.Logger;
import org.keycloak.component.ComponentValidationException;
import org.keycloak.events.Event;
import org.keycloak.events.EventListenerProvider;
import org.keycloak.events.EventType;
import org.keycloak.events.admin.AdminEvent;
import org.keycloak.events.admin.OperationType;
import org.keycloak.events.admin.ResourceType;
import org.keycloak.models.Constants;
import org.keycloak.models.KeycloakSession;
import org.keycloak.models.RealmModel;

import java.text.MessageFormat;

/**
 * Refreshes an org's {@link TabMirror} where its settings or keys may have changed outside the tab, or the tab may not
 * exist yet: when a realm is created (the org API and Keycloak's realm API report it) or updated (the settings API and
 * the realm's own admin API report that), when a component changes (key rotation), and when someone signs in to an org's admin console, before they can open the
 * tab. Runs in the request's transaction, on the node that served it; the component it writes is cluster-wide.
 */
final class TabMirrorRefresh implements EventListenerProvider {

    private static final Logger LOG = Logger.getLogger(TabMirrorRefresh.class);

    private final KeycloakSession session;

    TabMirrorRefresh(KeycloakSession session) {
        this.session = session;
    }

    @Override
    public void onEvent(Event event) {
        if (event.getType() == EventType.LOGIN && Constants.ADMIN_CONSOLE_CLIENT_ID.equals(event.getClientId())) {
            refresh(realmWithId(event.getRealmId()));
        }
    }

    @Override
    public void onEvent(AdminEvent event, boolean includeRepresentation) {
        if (event.getResourceType() == ResourceType.COMPONENT) {
            // Signing keys changed (the rotation API, Keycloak's Keys tab), or the tab itself was saved (a no-op then).
            refresh(realmWithId(event.getRealmId()));
            return;
        }
        if (event.getResourceType() != ResourceType.REALM) {
            return;
        }
        if (event.getOperationType() == OperationType.UPDATE) {
            refresh(realmWithId(event.getRealmId()));
        } else if (event.getOperationType() == OperationType.CREATE && event.getResourcePath() != null) {
            // Reported by the realm the request went to (master); the new realm's name leads the resource path.
            refresh(realmNamed(event.getResourcePath().split("/", 2)[0]));
        }
    }

    private RealmModel realmWithId(String id) {
        return id == null ? null : session.realms().getRealm(id);
    }

    private RealmModel realmNamed(String name) {
        return name.isEmpty() ? null : session.realms().getRealmByName(name);
    }

    private void refresh(RealmModel realm) {
        if (realm == null) {
            return;
        }
        try {
            new TabMirror(session).refresh(realm);
        } catch (ComponentValidationException e) {
            // The mirror only feeds the console's form; the sign-in or update that triggered this must not fail.
            LOG.warnf("Could not refresh the Machine identity tab of realm %s: %s", realm.getName(),
                    MessageFormat.format(e.getMessage(), e.getParameters()));
        } catch (RuntimeException e) {
            LOG.warnf(e, "Could not refresh the Machine identity tab of realm %s", realm.getName());
        }
    }

    @Override
    public void close() {
    }
}
