package dev.machineoidc.keycloak.org;

import dev.machineoidc.keycloak.api.ApiError;
import dev.machineoidc.keycloak.claims.MachineClaimsMapper;
import dev.machineoidc.keycloak.machine.Names;
import jakarta.persistence.EntityManager;
import org.keycloak.models.ClientScopeModel;
import org.keycloak.models.KeycloakSession;
import org.keycloak.models.RealmModel;
import org.keycloak.protocol.oidc.OIDCLoginProtocol;
import org.keycloak.provider.Provider;
import org.keycloak.representations.idm.RealmRepresentation;
import org.keycloak.services.managers.RealmManager;

import java.util.List;

/** Creates an org: a realm with everything a machine token needs, in the caller's transaction. */
public final class OrgProvisioner {

    private static final String JPA_CONNECTION_PROVIDER = "org.keycloak.connections.jpa.JpaConnectionProvider";

    private final KeycloakSession session;

    public OrgProvisioner(KeycloakSession session) {
        this.session = session;
    }

    public RealmModel create(String name, OrgSettings settings) {
        Names.require("org", name);
        if (session.realms().getRealmByName(name) != null) {
            throw ApiError.conflict("Org (realm) '" + name + "' already exists.");
        }
        startFromCleanPersistenceContext();
        // Through Keycloak's import, as the admin console creates realms: its defaults (lifespans, flows, default
        // client scopes) and an RS256 key provider come with it.
        RealmRepresentation rep = new RealmRepresentation();
        rep.setRealm(name);
        rep.setDisplayName(name);
        rep.setLoginTheme("machine-oidc"); // themes/: keycloak.v2 with the org's name, where org admins sign in
        rep.setEnabled(true);
        // Mint events reach every listener; storing them (one row per token) stays the admin's choice.
        rep.setEventsListeners(List.of("jboss-logging"));
        rep.setEventsEnabled(false);
        RealmModel realm = new RealmManager(session).importRealm(rep);
        settings.writeTo(realm);
        addClaimsScope(realm);
        return realm;
    }

    /**
     * Keycloak's realm creation auto-flushes JPA about a hundred times, and each flush dirty-checks every entity the
     * transaction has loaded. The caller's permission check has just loaded the master admin role's composites, some
     * twenty roles per realm in existence: left in place, they make creating an org slower with every org (3.2 s
     * instead of 0.65 s at 1,000 orgs on the benchmark machine). Flushed first, so no pending change is lost; entities
     * loaded later are managed again.
     */
    private void startFromCleanPersistenceContext() {
        EntityManager entities = entityManager();
        entities.flush();
        entities.clear();
    }

    /** JpaConnectionProvider is in keycloak-model-jpa, whose POM Maven Central does not serve for 26.7.3: named, not linked. */
    private EntityManager entityManager() {
        try {
            Class<? extends Provider> jpa = Class.forName(JPA_CONNECTION_PROVIDER, false, Provider.class.getClassLoader())
                    .asSubclass(Provider.class);
            return (EntityManager) jpa.getMethod("getEntityManager").invoke(session.getProvider(jpa));
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException("Keycloak's " + JPA_CONNECTION_PROVIDER + " is not as expected; this extension needs 26.7", e);
        }
    }

    private static void addClaimsScope(RealmModel realm) {
        ClientScopeModel scope = realm.addClientScope(MachineClaimsMapper.CLAIMS_SCOPE);
        scope.setProtocol(OIDCLoginProtocol.LOGIN_PROTOCOL);
        scope.setDescription("Holds the Machine-claims mapper: its configuration decides what this org's machine tokens carry.");
        scope.setIncludeInTokenScope(false);
        scope.addProtocolMapper(MachineClaimsMapper.defaultModel());
        realm.setAttribute(MachineClaimsMapper.CLAIMS_SCOPE_ID, scope.getId());
    }
}
