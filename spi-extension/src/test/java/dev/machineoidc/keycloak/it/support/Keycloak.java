package dev.machineoidc.keycloak.it.support;

import dev.machineoidc.arquillian.JsonResponse;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.Map;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.is;

/** The admin side of a running Keycloak as tests use it: tokens, and the Machine OIDC admin API. */
public final class Keycloak {

    private final Http http = new Http();
    private final String baseUrl;

    public Keycloak(String baseUrl) {
        this.baseUrl = baseUrl.replaceAll("/+$", "");
    }

    public String baseUrl() {
        return baseUrl;
    }

    public Http http() {
        return http;
    }

    /** A password-grant access token from a realm's admin-cli client. */
    public String token(String realm, String user, String password) {
        JsonResponse answer = http.form(baseUrl + "/realms/" + realm + "/protocol/openid-connect/token",
                "grant_type=password&client_id=admin-cli&username=" + encode(user) + "&password=" + encode(password));
        assertThat("token for " + user + "@" + realm + ": " + answer.body(), answer.status(), is(200));
        return answer.json().get("access_token").asText();
    }

    public String admin(String realm, String path) {
        return baseUrl + "/admin/realms/" + realm + path;
    }

    public JsonResponse createOrg(String token, String name) {
        return http.json("POST", admin("master", "/machine-oidc/orgs"), token, Map.of("name", name));
    }

    public JsonResponse createApp(String token, String org, String app) {
        return http.json("POST", admin(org, "/machine-oidc/apps"), token, Map.of("name", app));
    }

    public JsonResponse createMachine(String token, String org, String app, Map<String, String> machine) {
        return http.json("POST", admin(org, "/machine-oidc/apps/" + app + "/machines"), token, machine);
    }

    /** Creates org, app and machine in one go, asserting each step. */
    public TestMachine provision(String token, String org, String app, String machineName) {
        assertCreated(createOrg(token, org));
        return addMachine(token, org, app, machineName);
    }

    /** Creates an app and a machine in it in an existing org, asserting each step. */
    public TestMachine addMachine(String token, String org, String app, String machineName) {
        assertCreated(createApp(token, org, app));
        JsonResponse machine = createMachine(token, org, app, Map.of(
                "name", machineName, "region", "sea",
                "image", "registry.example.com/you/image:latest",
                "image_digest", "sha256:2c1cdaded1b3820020c9dc9fdd1d6e798d6f6ca36861bb6ae64019fad6be9ee3"));
        assertCreated(machine);
        return new TestMachine(this, org, machine.json());
    }

    public static JsonResponse assertCreated(JsonResponse answer) {
        assertThat(answer.body(), answer.status(), is(201));
        return answer;
    }

    private static String encode(String value) {
        return URLEncoder.encode(value, StandardCharsets.UTF_8);
    }
}
