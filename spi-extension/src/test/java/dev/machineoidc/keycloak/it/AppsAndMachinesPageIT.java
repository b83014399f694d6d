package dev.machineoidc.keycloak.it;

import com.fasterxml.jackson.databind.JsonNode;
import dev.machineoidc.arquillian.JsonResponse;
import dev.machineoidc.keycloak.it.support.Keycloak;
import dev.machineoidc.keycloak.view.ViewAssets;
import dev.machineoidc.keycloak.view.ViewClient;
import org.junit.jupiter.api.Test;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.Base64;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.is;

/**
 * The Apps and machines view as Keycloak serves it: files from the jar under a strict policy, and the sign-in client
 * every org has, also one created before the view existed. The page in a browser, signed in, is the bridge module's
 * AppsAndMachinesViewIT.
 */
class AppsAndMachinesPageIT extends ProviderDeployment {

    private static String unique(String prefix) {
        return prefix + "-" + UUID.randomUUID().toString().substring(0, 8);
    }

    @Test
    void thePageIsServedFromTheJarUnderAStrictPolicy() {
        String org = unique("page");
        Keycloak.assertCreated(keycloak.createOrg(admin, org));
        String page = keycloak.baseUrl() + ViewClient.path(org);

        JsonResponse redirect = http.get(page.substring(0, page.length() - 1), null);
        assertThat(redirect.status(), is(303));
        assertThat(redirect.header("Location").orElseThrow(), is(page));

        JsonResponse html = http.get(page, null);
        assertThat(html.status(), is(200));
        assertThat(html.header("Content-Type").orElseThrow(), is("text/html; charset=utf-8"));
        assertThat(html.header("Content-Security-Policy").orElseThrow(), is(ViewAssets.CONTENT_SECURITY_POLICY));
        assertThat(html.header("X-Content-Type-Options").orElseThrow(), is("nosniff"));
        assertThat(html.header("X-Frame-Options").orElseThrow(), is("DENY"));
        assertThat(html.header("Referrer-Policy").orElseThrow(), is("no-referrer"));
        assertThat(html.body(), containsString("<script src=\"view.js\" defer></script>"));

        JsonResponse script = http.get(page + "view.js", null);
        assertThat(script.status(), is(200));
        assertThat(script.header("Content-Type").orElseThrow(), containsString("text/javascript"));
        assertThat(script.header("Content-Security-Policy").orElseThrow(), is(ViewAssets.CONTENT_SECURITY_POLICY));
        assertThat(http.get(page + "view.css", null).status(), is(200));

        for (String other : List.of("other.js", "..%2Findex.html", "ViewAssets.class")) {
            assertThat(other, http.get(page + other, null).status(), is(404));
        }
        assertThat("master is no org", http.get(keycloak.baseUrl() + ViewClient.path("master"), null).status(), is(404));
    }

    @Test
    void aNewOrgHasAPublicPkceClientThatSignsInOnlyToThePage() throws Exception {
        String org = unique("page");
        Keycloak.assertCreated(keycloak.createOrg(admin, org));

        JsonNode client = consoleClient(org);
        assertThat(client.get("publicClient").asBoolean(), is(true));
        assertThat(client.get("standardFlowEnabled").asBoolean(), is(true));
        assertThat(client.get("directAccessGrantsEnabled").asBoolean(), is(false));
        assertThat(client.get("implicitFlowEnabled").asBoolean(), is(false));
        assertThat(client.get("serviceAccountsEnabled").asBoolean(), is(false));
        assertThat(client.get("rootUrl").asText(), is("${authBaseUrl}"));
        assertThat(texts(client.get("redirectUris")), is(List.of(ViewClient.path(org))));
        assertThat(client.get("attributes").get("pkce.code.challenge.method").asText(), is("S256"));

        String auth = keycloak.baseUrl() + "/realms/" + org + "/protocol/openid-connect/auth?client_id="
                + ViewClient.CLIENT_ID + "&response_type=code&scope=openid&code_challenge_method=S256"
                + "&code_challenge=" + challenge("a-verifier-of-at-least-forty-three-characters-as-rfc-7636-asks")
                + "&redirect_uri=";
        JsonResponse login = http.get(auth + encode(keycloak.baseUrl() + ViewClient.path(org)), null);
        assertThat(login.body(), login.status(), is(200));
        assertThat(login.body(), containsString("<title>Sign in to " + org + "</title>"));
        JsonResponse elsewhere = http.get(auth + encode("https://attacker.example/"), null);
        assertThat(elsewhere.status(), is(400));
        assertThat(elsewhere.body(), containsString("Invalid parameter: redirect_uri"));
        JsonResponse password = http.form(keycloak.baseUrl() + "/realms/" + org + "/protocol/openid-connect/token",
                "grant_type=password&client_id=" + ViewClient.CLIENT_ID + "&username=x&password=y");
        assertThat(password.body(), password.status(), is(400));
        assertThat(password.json().get("error").asText(), is("unauthorized_client"));
    }

    /** An org from before the view (no client) gets it when its page is first served, once, by concurrent first loads. */
    @Test
    void anOrgWithoutTheClientGetsItWhenThePageIsFirstServed() {
        String org = unique("page");
        Keycloak.assertCreated(keycloak.createOrg(admin, org));
        String id = consoleClient(org).get("id").asText();
        assertThat(http.send("DELETE", keycloak.admin(org, "/clients/" + id), admin, null, null).status(), is(204));
        assertThat(clients(org).size(), is(0));

        String page = keycloak.baseUrl() + ViewClient.path(org);
        List<CompletableFuture<JsonResponse>> loads = List.of(
                CompletableFuture.supplyAsync(() -> http.get(page, null)),
                CompletableFuture.supplyAsync(() -> http.get(page, null)),
                CompletableFuture.supplyAsync(() -> http.get(page, null)));
        for (CompletableFuture<JsonResponse> load : loads) {
            JsonResponse answer = load.join();
            assertThat(answer.body(), answer.status(), is(200));
        }

        assertThat(clients(org).size(), is(1));
        assertThat(texts(consoleClient(org).get("redirectUris")), is(List.of(ViewClient.path(org))));
    }

    private JsonNode consoleClient(String org) {
        List<JsonNode> found = clients(org);
        assertThat(found.size(), is(1));
        return found.get(0);
    }

    private List<JsonNode> clients(String org) {
        JsonResponse answer = http.get(keycloak.admin(org, "/clients?clientId=" + ViewClient.CLIENT_ID), admin);
        assertThat(answer.body(), answer.status(), is(200));
        List<JsonNode> exact = new ArrayList<>();
        answer.json().forEach(client -> {
            if (ViewClient.CLIENT_ID.equals(client.get("clientId").asText())) {
                exact.add(client);
            }
        });
        return exact;
    }

    private static List<String> texts(JsonNode array) {
        List<String> texts = new ArrayList<>();
        array.forEach(node -> texts.add(node.asText()));
        return texts;
    }

    private static String challenge(String verifier) throws Exception {
        byte[] digest = MessageDigest.getInstance("SHA-256").digest(verifier.getBytes(StandardCharsets.US_ASCII));
        return Base64.getUrlEncoder().withoutPadding().encodeToString(digest);
    }

    private static String encode(String value) {
        return URLEncoder.encode(value, StandardCharsets.UTF_8);
    }
}
