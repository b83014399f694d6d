package dev.machineoidc.keycloak.realm;

import dev.machineoidc.keycloak.enrollment.ClusterKeyCache;
import dev.machineoidc.keycloak.signing.MintSigner;
import dev.machineoidc.keycloak.spi.StatelessProviderFactory;
import org.keycloak.models.KeycloakSession;
import org.keycloak.models.KeycloakSessionFactory;
import org.keycloak.services.resource.RealmResourceProvider;
import org.keycloak.services.resource.RealmResourceProviderFactory;

/** Mounts {@link MachineOidcRealmResource} at {@code /realms/{org}/machine-oidc}. */
public class MachineOidcRealmResourceProviderFactory
        implements RealmResourceProviderFactory, StatelessProviderFactory<RealmResourceProvider> {

    public static final String PROVIDER_ID = "machine-oidc";

    @Override
    public RealmResourceProvider create(KeycloakSession session) {
        return new RealmResourceProvider() {
            @Override
            public Object getResource() {
                return new MachineOidcRealmResource(session);
            }

            @Override
            public void close() {
            }
        };
    }

    /** Boot-time work of the mint path; not in the options' factory, as the options sit below every package that reads them. */
    @Override
    public void postInit(KeycloakSessionFactory factory) {
        ClusterKeyCache.listenOnBoot(factory);
        MintSigner.logChoice(factory);
    }

    @Override
    public String getId() {
        return PROVIDER_ID;
    }
}
