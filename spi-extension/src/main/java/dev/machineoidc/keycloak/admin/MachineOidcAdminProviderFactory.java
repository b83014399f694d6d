package dev.machineoidc.keycloak.admin;

import dev.machineoidc.keycloak.org.SettingsComponent;
import dev.machineoidc.keycloak.spi.StatelessProviderFactory;
import org.keycloak.models.KeycloakSession;
import org.keycloak.models.KeycloakSessionFactory;
import org.keycloak.models.RealmModel;
import org.keycloak.services.resources.admin.AdminEventBuilder;
import org.keycloak.services.resources.admin.fgap.AdminPermissionEvaluator;
import org.keycloak.services.resources.admin.ext.AdminRealmResourceProvider;
import org.keycloak.services.resources.admin.ext.AdminRealmResourceProviderFactory;

/** Mounts the admin API at {@code /admin/realms/{realm}/machine-oidc}; Keycloak has authenticated the caller. */
public class MachineOidcAdminProviderFactory implements AdminRealmResourceProviderFactory,
        StatelessProviderFactory<AdminRealmResourceProvider> {

    public static final String PROVIDER_ID = "machine-oidc";

    @Override
    public AdminRealmResourceProvider create(KeycloakSession session) {
        return new AdminRealmResourceProvider() {
            @Override
            public Object getResource(KeycloakSession s, RealmModel realm,
                                      AdminPermissionEvaluator auth,
                                      AdminEventBuilder adminEvent) {
                return new MachineOidcAdminResource(s, realm, auth, adminEvent);
            }

            @Override
            public void close() {
            }
        };
    }

    @Override
    public void postInit(KeycloakSessionFactory factory) {
        SettingsComponent.warnIfUnavailable(factory);
    }

    @Override
    public String getId() {
        return PROVIDER_ID;
    }
}
