package dev.machineoidc.bridge.it;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.is;

import com.fasterxml.jackson.databind.JsonNode;
import dev.machineoidc.arquillian.AdminClient;
import dev.machineoidc.arquillian.JsonResponse;
import dev.machineoidc.arquillian.KeycloakServer;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** A user of an org's own realm, optionally holding one of its realm-management roles, as an org's admins do. */
record OrgUser(String org, String username, String password) {

    /** Creates the user through the master admin API: complete profile, no required actions, the role if any. */
    static OrgUser create(KeycloakServer server, String org, String username, Optional<String> role) throws Exception {
        AdminClient admin = server.admin();
        String password = username + "-pw";
        JsonResponse user = expect(201, admin.post("/admin/realms/" + org + "/users", Map.of(
                "username", username, "enabled", true, "email", username + "@example.com", "emailVerified", true,
                "firstName", "Org", "lastName", "User",
                "credentials", List.of(Map.of("type", "password", "value", password, "temporary", false)))));
        String location = user.header("Location").orElseThrow();
        String userId = location.substring(location.lastIndexOf('/') + 1);
        if (role.isPresent()) {
            String management = expect(200, admin.get("/admin/realms/" + org + "/clients?clientId=realm-management"))
                    .json().get(0).get("id").asText();
            JsonNode roleRep = expect(200, admin.get("/admin/realms/" + org + "/clients/" + management + "/roles/"
                    + role.get())).json();
            expect(204, admin.post("/admin/realms/" + org + "/users/" + userId + "/role-mappings/clients/" + management,
                    List.of(roleRep)));
        }
        return new OrgUser(org, username, password);
    }

    /** An access token of this user from the org realm's admin-cli, as kcadm.sh gets one. */
    String accessToken(KeycloakServer server) throws Exception {
        JsonResponse token = expect(200, server.admin().postForm("/realms/" + org + "/protocol/openid-connect/token",
                Map.of("grant_type", "password", "client_id", "admin-cli", "username", username, "password", password)));
        return token.json().get("access_token").asText();
    }

    /** A call with this user's token to any path of the server: the status and body. */
    static HttpResponse<String> call(KeycloakServer server, String token, String method, String path, String json)
            throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(server.baseUrl() + path))
                .timeout(Duration.ofSeconds(30))
                .header("Authorization", "Bearer " + token)
                .method(method, json == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(json));
        if (json != null) {
            request.header("Content-Type", "application/json");
        }
        return HttpClient.newHttpClient().send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    private static JsonResponse expect(int status, JsonResponse response) {
        assertThat(response.toString(), response.status(), is(status));
        return response;
    }
}
