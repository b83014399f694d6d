package dev.machineoidc.keycloak.keys;

import org.keycloak.component.ComponentModel;
import org.keycloak.crypto.KeyWrapper;
import org.keycloak.keys.KeyProvider;
import org.keycloak.keys.KeyProviderFactory;
import org.keycloak.models.KeycloakSession;
import org.keycloak.provider.ProviderFactory;

import java.util.List;
import java.util.Optional;

/** The keys of one key provider component, made by its provider as Keycloak's key manager makes them. */
public final class ComponentKeys {

    private ComponentKeys() {
    }

    /** Empty when there is no such provider or it fails to load: Keycloak's manager skips (and logs) those too. */
    public static Optional<List<KeyWrapper>> load(KeycloakSession session, ComponentModel component) {
        ProviderFactory<KeyProvider> factory = session.getKeycloakSessionFactory()
                .getProviderFactory(KeyProvider.class, component.getProviderId());
        if (!(factory instanceof KeyProviderFactory<?> keyProviders)) {
            return Optional.empty();
        }
        KeyProvider provider;
        try {
            provider = keyProviders.create(session, component);
        } catch (RuntimeException e) {
            return Optional.empty();
        }
        try {
            return Optional.of(provider.getKeysStream().toList());
        } finally {
            provider.close();
        }
    }
}
