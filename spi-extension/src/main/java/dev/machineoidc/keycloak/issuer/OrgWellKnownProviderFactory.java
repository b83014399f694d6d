package dev.machineoidc.keycloak.issuer;

import dev.machineoidc.keycloak.org.OrgSettings;
import dev.machineoidc.keycloak.spi.StatelessProviderFactory;
import org.keycloak.models.KeycloakSession;
import org.keycloak.models.RealmModel;
import org.keycloak.protocol.oidc.OIDCWellKnownProviderFactory;
import org.keycloak.util.JsonSerialization;
import org.keycloak.wellknown.WellKnownProvider;
import org.keycloak.wellknown.WellKnownProviderFactory;

import java.util.Map;

/**
 * Takes over {@code /realms/{realm}/.well-known/openid-configuration}: an org realm whose issuer is Keycloak's own
 * answers with Keycloak's document carrying the contract's fields; every other realm gets Keycloak's document as is.
 */
public class OrgWellKnownProviderFactory implements WellKnownProviderFactory, StatelessProviderFactory<WellKnownProvider> {

    public static final String PROVIDER_ID = "machine-oidc-openid-configuration";

    @Override
    public WellKnownProvider create(KeycloakSession session) {
        return new WellKnownProvider() {
            @Override
            public Object getConfig() {
                Object keycloakDocument = session.getProvider(WellKnownProvider.class, OIDCWellKnownProviderFactory.PROVIDER_ID).getConfig();
                RealmModel realm = session.getContext().getRealm();
                if (!OrgSettings.isOrg(realm) || OrgIssuer.of(session, realm).hasCustomBase()) {
                    return keycloakDocument;
                }
                @SuppressWarnings("unchecked")
                Map<String, Object> document = JsonSerialization.mapper.convertValue(keycloakDocument, Map.class);
                DiscoveryDocument.overrideContractFields(document);
                return document;
            }

            @Override
            public void close() {
            }
        };
    }

    @Override
    public String getAlias() {
        return OIDCWellKnownProviderFactory.PROVIDER_ID;
    }

    /** Lower wins: ours must be chosen over Keycloak's for the same alias. */
    @Override
    public int getPriority() {
        return 0;
    }

    @Override
    public String getId() {
        return PROVIDER_ID;
    }
}
