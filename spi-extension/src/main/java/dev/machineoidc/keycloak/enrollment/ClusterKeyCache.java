package dev.machineoidc.keycloak.enrollment;

import org.keycloak.models.KeycloakSessionFactory;
import org.keycloak.models.utils.KeycloakModelUtils;
import org.keycloak.models.utils.PostMigrationEvent;
import org.keycloak.provider.Provider;

/**
 * Makes a re-enrollment retire the old key on every node at once. Keycloak 26.7 drops a client's cached public keys
 * on the other nodes only after that node has created its {@code CachePublicKeyProvider}, which Keycloak itself does
 * only for the admin "clear keys cache" call; without it a node keeps accepting the old key for up to an hour.
 * So every node creates one when it boots.
 */
public final class ClusterKeyCache {

    /** In keycloak-model-storage-private, whose POM Maven Central does not serve for 26.7.3: named, not linked. */
    private static final String CACHE_PUBLIC_KEY_PROVIDER = "org.keycloak.models.cache.CachePublicKeyProvider";

    private ClusterKeyCache() {
    }

    public static void listenOnBoot(KeycloakSessionFactory factory) {
        factory.register(event -> {
            if (event instanceof PostMigrationEvent) {
                Class<? extends Provider> provider = providerClass();
                KeycloakModelUtils.runJobInTransaction(factory, session -> session.getProvider(provider));
            }
        });
    }

    private static Class<? extends Provider> providerClass() {
        try {
            return Class.forName(CACHE_PUBLIC_KEY_PROVIDER, false, Provider.class.getClassLoader()).asSubclass(Provider.class);
        } catch (ClassNotFoundException e) {
            throw new IllegalStateException("Keycloak has no " + CACHE_PUBLIC_KEY_PROVIDER + "; this extension needs 26.7", e);
        }
    }
}
