package dev.machineoidc.keycloak.it.support;

import com.fasterxml.jackson.databind.JsonNode;
import dev.machineoidc.arquillian.JsonResponse;

import java.util.List;
import java.util.Map;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.is;

/** A user of an org's own realm holding one of its realm-management roles, as an org's admins are. */
public record OrgAdmin(String org, String username, String password) {

    /** Creates the user through the master admin API: complete profile, no required actions, the role granted. */
    public static OrgAdmin create(Keycloak keycloak, String masterAdmin, String org, String username, String role) {
        Http http = keycloak.http();
        String password = username + "-pw";
        JsonResponse user = http.json("POST", keycloak.admin(org, "/users"), masterAdmin, Map.of(
                "username", username, "enabled", true, "email", username + "@example.com", "emailVerified", true,
                "firstName", "Org", "lastName", "Admin",
                "credentials", List.of(Map.of("type", "password", "value", password, "temporary", false))));
        assertThat(user.body(), user.status(), is(201));
        String location = user.headers().firstValue("Location").orElseThrow();
        String userId = location.substring(location.lastIndexOf('/') + 1);
        String management = http.get(keycloak.admin(org, "/clients?clientId=realm-management"), masterAdmin)
                .json().get(0).get("id").asText();
        JsonNode roleRep = http.get(keycloak.admin(org, "/clients/" + management + "/roles/" + role), masterAdmin).json();
        JsonResponse granted = http.json("POST", keycloak.admin(org, "/users/" + userId + "/role-mappings/clients/" + management),
                masterAdmin, List.of(roleRep));
        assertThat(granted.body(), granted.status(), is(204));
        return new OrgAdmin(org, username, password);
    }

    public String token(Keycloak keycloak) {
        return keycloak.token(org, username, password);
    }
}
