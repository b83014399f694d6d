package dev.machineoidc.keycloak.console;

import dev.machineoidc.keycloak.spi.StatelessProviderFactory;
import org.keycloak.events.EventListenerProvider;
import org.keycloak.events.EventListenerProviderFactory;
import org.keycloak.models.KeycloakSession;

/** A global event listener (every realm, nothing to configure) that keeps the Machine identity tab current. */
public class TabMirrorRefreshFactory implements EventListenerProviderFactory, StatelessProviderFactory<EventListenerProvider> {

    public static final String PROVIDER_ID = "machine-oidc-console";

    @Override
    public EventListenerProvider create(KeycloakSession session) {
        return new TabMirrorRefresh(session);
    }

    @Override
    public boolean isGlobal() {
        return true;
    }

    @Override
    public String getId() {
        return PROVIDER_ID;
    }
}
