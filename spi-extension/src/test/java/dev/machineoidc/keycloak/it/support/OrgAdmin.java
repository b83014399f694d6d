package dev.machineoidc.keycloak.it.support;

import com.fasterxml.jackson.databind.JsonNode;
import dev.machineoidc.arquillian.JsonResponse;

import java.util.List;
import java.util.Map;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.is;

/**
 * An admin of one org holding one of its admin roles: a user of the org's own realm with a realm-management role, as
 * an org's admins are, or a user of master with that role of the org's {@code <org>-realm} client, as Keycloak grants
 * realm admins in master.
 */
public record OrgAdmin(String org, String realm, String username, String password) {

    public static OrgAdmin create(Keycloak keycloak, String masterAdmin, String org, String username, String role) {
        return create(keycloak, masterAdmin, org, org, "realm-management", username, role);
    }

    public static OrgAdmin inMaster(Keycloak keycloak, String masterAdmin, String org, String username, String role) {
        return create(keycloak, masterAdmin, org, "master", org + "-realm", username, role);
    }

    /** Creates the user through the master admin API: complete profile, no required actions, the role granted. */
    private static OrgAdmin create(Keycloak keycloak, String masterAdmin, String org, String realm, String roleClient,
                                   String username, String role) {
        Http http = keycloak.http();
        String password = username + "-pw";
        JsonResponse user = http.json("POST", keycloak.admin(realm, "/users"), masterAdmin, Map.of(
                "username", username, "enabled", true, "email", username + "@example.com", "emailVerified", true,
                "firstName", "Org", "lastName", "Admin",
                "credentials", List.of(Map.of("type", "password", "value", password, "temporary", false))));
        assertThat(user.body(), user.status(), is(201));
        String location = user.headers().firstValue("Location").orElseThrow();
        String userId = location.substring(location.lastIndexOf('/') + 1);
        String client = http.get(keycloak.admin(realm, "/clients?clientId=" + roleClient), masterAdmin)
                .json().get(0).get("id").asText();
        JsonNode roleRep = http.get(keycloak.admin(realm, "/clients/" + client + "/roles/" + role), masterAdmin).json();
        JsonResponse granted = http.json("POST", keycloak.admin(realm, "/users/" + userId + "/role-mappings/clients/" + client),
                masterAdmin, List.of(roleRep));
        assertThat(granted.body(), granted.status(), is(204));
        return new OrgAdmin(org, realm, username, password);
    }

    public String token(Keycloak keycloak) {
        return keycloak.token(realm, username, password);
    }
}
