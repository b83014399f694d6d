package dev.machineoidc.keycloak.view;

import org.keycloak.models.ClientModel;
import org.keycloak.models.KeycloakSession;
import org.keycloak.models.KeycloakSessionFactory;
import org.keycloak.models.RealmModel;
import org.keycloak.models.utils.KeycloakModelUtils;
import org.keycloak.protocol.oidc.OIDCLoginProtocol;

import java.util.Set;

/**
 * The public client through which an org's admins sign in to the Apps and machines view: authorization code with
 * PKCE (S256) only, back to the view's own URL and nowhere else. Its access token carries the admin's
 * realm-management roles (full scope), and Keycloak's admin permissions decide what the view's API calls may do.
 */
public final class ViewClient {

    public static final String CLIENT_ID = "machine-oidc-console";

    private ViewClient() {
    }

    /** The view's path under Keycloak's base URL, with the trailing slash its relative asset links need. */
    public static String path(String org) {
        return "/realms/" + org + "/machine-oidc/console/";
    }

    /** Adds the client to a new org (in the org's creating transaction). */
    public static void addTo(RealmModel org) {
        ClientModel client = org.addClient(CLIENT_ID);
        client.setName("Machine OIDC: Apps and machines");
        client.setDescription("Sign-in of the org's admins to the Apps and machines view (Machine OIDC).");
        client.setProtocol(OIDCLoginProtocol.LOGIN_PROTOCOL);
        client.setEnabled(true);
        client.setPublicClient(true);
        client.setStandardFlowEnabled(true);
        client.setImplicitFlowEnabled(false);
        client.setDirectAccessGrantsEnabled(false);
        client.setServiceAccountsEnabled(false);
        client.setFullScopeAllowed(true);
        // Relative to Keycloak's own URL, as the realm's account console is, so it follows the hostname settings.
        client.setRootUrl("${authBaseUrl}");
        client.setBaseUrl(path(org.getName()));
        client.setRedirectUris(Set.of(path(org.getName())));
        client.setWebOrigins(Set.of("+"));
        client.setAttribute("pkce.code.challenge.method", "S256");
        client.setAttribute("post.logout.redirect.uris", "+");
    }

    /**
     * Adds the client to an org created before the view existed, once: in a transaction of its own, so a failure
     * cannot spoil the request that serves the page. Two first requests at once may both try; the loser's insert
     * fails on the unique client id, and the winner's client is the one that stays.
     */
    public static void ensure(KeycloakSession session, RealmModel org) {
        if (org.getClientByClientId(CLIENT_ID) != null) {
            return;
        }
        KeycloakSessionFactory sessions = session.getKeycloakSessionFactory();
        String orgId = org.getId();
        try {
            KeycloakModelUtils.runJobInTransaction(sessions, own -> {
                RealmModel realm = own.realms().getRealm(orgId);
                if (realm.getClientByClientId(CLIENT_ID) == null) {
                    addTo(realm);
                }
            });
        } catch (RuntimeException e) {
            if (!exists(sessions, orgId)) {
                throw e;
            }
        }
    }

    private static boolean exists(KeycloakSessionFactory sessions, String orgId) {
        return KeycloakModelUtils.runJobInTransactionWithResult(sessions, session ->
                session.realms().getRealm(orgId).getClientByClientId(CLIENT_ID) != null);
    }
}
