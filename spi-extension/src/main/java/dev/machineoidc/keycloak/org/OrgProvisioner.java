package dev.machineoidc.keycloak.org;

import dev.machineoidc.keycloak.claims.MachineClaimsMapper;
import dev.machineoidc.keycloak.contention.ContentionRetry;
import dev.machineoidc.keycloak.machine.Names;
import dev.machineoidc.keycloak.refusal.Refusal;
import dev.machineoidc.keycloak.view.ViewClient;
import org.keycloak.models.ClientScopeModel;
import org.keycloak.models.KeycloakSession;
import org.keycloak.models.KeycloakSessionFactory;
import org.keycloak.models.RealmModel;
import org.keycloak.models.utils.KeycloakModelUtils;
import org.keycloak.protocol.oidc.OIDCLoginProtocol;
import org.keycloak.representations.idm.RealmRepresentation;
import org.keycloak.services.managers.RealmManager;

import java.time.Duration;
import java.util.List;

/**
 * Creates an org: a realm with everything a machine token needs, in a transaction of its own that has committed when
 * {@link #create} returns.
 * <p>
 * Not in the request's transaction, because concurrent creators of one name are only told apart by the database: the
 * losers' realm insert fails on the unique realm name once the winner commits, or times out on the winner's lock
 * before (H2 waits 2 s). A failed flush leaves a transaction good only for rollback, and a failure at commit would
 * come after the resource method returned: in a transaction of its own, each attempt fails or commits here, a loser
 * tries again in a fresh one ({@link ContentionRetry}) and then finds the winner's org, a 409. A failed attempt rolls
 * back whole, so no half-created realm is left. The fresh persistence context also spares realm creation the dirty
 * checks of what the request's permission check loaded (the master admin role's composites, some twenty roles per
 * realm in existence), which made each org slower to create than the one before.
 */
public final class OrgProvisioner {

    /** Each attempt waits up to H2's lock timeout for a winner still at work: about ten seconds in all. */
    private static final int ATTEMPTS = 5;
    private static final Duration FIRST_PAUSE = Duration.ofMillis(100);

    /** Work that must commit together with the new org or not at all. */
    @FunctionalInterface
    public interface Completion {
        void complete(KeycloakSession session, RealmModel org);
    }

    private final KeycloakSession session;

    public OrgProvisioner(KeycloakSession session) {
        this.session = session;
    }

    /** Creates the org and answers its id; 409 when an org or realm of that name exists, or a concurrent create won. */
    public String create(String name, OrgSettings settings, Completion completion) {
        Names.require("org", name);
        KeycloakSessionFactory sessions = session.getKeycloakSessionFactory();
        return new ContentionRetry(ATTEMPTS, FIRST_PAUSE, "org '" + name + "'").run(() ->
                KeycloakModelUtils.runJobInTransactionWithResult(sessions, own -> {
                    RealmModel org = provision(own, name, settings);
                    completion.complete(own, org);
                    return org.getId();
                }));
    }

    private static RealmModel provision(KeycloakSession session, String name, OrgSettings settings) {
        if (session.realms().getRealmByName(name) != null) {
            throw Refusal.conflict("Org (realm) '" + name + "' already exists.");
        }
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
        ViewClient.addTo(realm);
        return realm;
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
