package dev.machineoidc.keycloak.admin;

import dev.machineoidc.keycloak.refusal.Refusal;
import org.keycloak.models.KeycloakSession;
import org.keycloak.models.RealmModel;
import org.keycloak.services.resources.admin.fgap.AdminPermissionEvaluator;
import org.keycloak.services.resources.admin.fgap.AdminPermissions;
import org.keycloak.services.resources.admin.fgap.RealmsPermissionEvaluator;

/**
 * Keycloak's own admin permission model, answered in our error shape. Apps and machines are clients, so the
 * clients permissions govern them; an org admin holds those only in their own realm.
 */
final class AdminChecks {

    private final KeycloakSession session;
    private final AdminPermissionEvaluator auth;

    AdminChecks(KeycloakSession session, AdminPermissionEvaluator auth) {
        this.session = session;
        this.auth = auth;
    }

    void requireCreateOrg() {
        require(AdminPermissions.realms(session, auth.adminAuth()).canCreateRealm(), "create orgs");
    }

    /** Whether the caller may see this realm in a list: as Keycloak's own realm list decides. */
    boolean canSee(RealmModel realm) {
        RealmsPermissionEvaluator realms = AdminPermissions.realms(session, auth.adminAuth());
        return realms.canView(realm) || realms.isAdmin(realm);
    }

    void requireViewMachines() {
        require(auth.clients().canView(), "view this org's apps and machines");
    }

    void requireManageMachines() {
        require(auth.clients().canManage(), "manage this org's apps and machines");
    }

    void requireViewSettings() {
        require(auth.realm().canViewRealm(), "view this org's settings");
    }

    void requireManageSettings() {
        require(auth.realm().canManageRealm(), "manage this org's settings");
    }

    private static void require(boolean allowed, String what) {
        if (!allowed) {
            throw Refusal.forbidden("forbidden", "You are not allowed to " + what + ".");
        }
    }
}
