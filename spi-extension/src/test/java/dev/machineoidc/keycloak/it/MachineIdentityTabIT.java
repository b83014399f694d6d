package dev.machineoidc.keycloak.it;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.machineoidc.arquillian.JsonResponse;
import dev.machineoidc.keycloak.it.support.Http;
import dev.machineoidc.keycloak.it.support.Keycloak;
import dev.machineoidc.keycloak.it.support.OrgAdmin;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.containsInAnyOrder;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.is;

/**
 * The realm-settings tab "Machine identity" through the API the admin console uses for it: the component endpoints
 * of the admin-console UI extension SPI. The browser side is {@link AdminConsoleIT}.
 */
class MachineIdentityTabIT extends ProviderDeployment {

    static final String TAB_TYPE = "org.keycloak.services.ui.extend.UiTabProvider";
    static final String TAB_ID = "Machine identity";

    private static String unique(String prefix) {
        return prefix + "-" + UUID.randomUUID().toString().substring(0, 8);
    }

    @Test
    void theConsoleGetsTheTabWithItsRouteAndFields() throws Exception {
        JsonNode types = server.admin().get("/admin/serverinfo").json().path("componentTypes").path(TAB_TYPE);

        JsonNode tab = find(types, TAB_ID);
        assertThat(tab.path("metadata").path("path").asText(), is("/:realm/realm-settings/:tab?"));
        assertThat(tab.path("metadata").path("params").path("tab").asText(), is("machine-identity"));
        List<String> fields = new ArrayList<>();
        tab.path("properties").forEach(property -> fields.add(property.path("name").asText()));
        assertThat(fields, is(List.of("issuer", "token_lifetime", "nbf_backdate", "allowed_audiences", "mint_rate_limit",
                "jwks_cache_seconds", "subject_template", "default_audience", "signing_keys", "key_rotation_step",
                "apps_and_machines")));
        JsonNode step = tab.path("properties").get(fields.indexOf("key_rotation_step"));
        assertThat(texts(step.path("options")), is(List.of("none", "prepare", "activate", "retire")));
    }

    @Test
    void aNewOrgsTabShowsItsSettingsAndIssuerAndFollowsTheSettingsApi() {
        String org = unique("tab");
        Keycloak.assertCreated(http.json("POST", keycloak.admin("master", "/machine-oidc/orgs"), admin,
                Map.of("name", org, "token_lifetime", 900)));

        JsonNode created = tab(org);
        assertThat(value(created, "issuer"), is(keycloak.baseUrl() + "/realms/" + org));
        assertThat(value(created, "apps_and_machines"), is(keycloak.baseUrl() + "/realms/" + org + "/machine-oidc/console/"));
        assertThat(value(created, "token_lifetime"), is("900"));
        assertThat(value(created, "nbf_backdate"), is("0"));
        assertThat(values(created, "allowed_audiences"), is(List.of("*")));
        assertThat(value(created, "mint_rate_limit"), is("100"));
        assertThat(value(created, "subject_template"), is("{org}:{app}:{machine}"));
        assertThat("blank: the issuer", values(created, "default_audience"), is(List.of()));

        JsonResponse put = http.json("PUT", keycloak.admin(org, "/machine-oidc/settings"), admin, Map.of(
                "nbf_backdate", 45, "allowed_audiences", List.of("sts.amazonaws.com", "vault"), "mint_rate_limit", 2.5,
                "subject_template", "{org_id}:{app_id}:{machine_id}", "default_audience", "https://fly.io/" + org));
        assertThat(put.body(), put.status(), is(200));

        JsonNode updated = tab(org);
        assertThat(value(updated, "token_lifetime"), is("900"));
        assertThat(value(updated, "nbf_backdate"), is("45"));
        assertThat(values(updated, "allowed_audiences"), containsInAnyOrder("sts.amazonaws.com", "vault"));
        assertThat(value(updated, "mint_rate_limit"), is("2.5"));
        assertThat(value(updated, "subject_template"), is("{org_id}:{app_id}:{machine_id}"));
        assertThat(value(updated, "default_audience"), is("https://fly.io/" + org));
    }

    /** The tab's component is the store: an org created to allow no audience keeps allowing none. */
    @Test
    void anOrgCreatedWithoutAudiencesAllowsNone() {
        String org = unique("tab");
        Keycloak.assertCreated(http.json("POST", keycloak.admin("master", "/machine-oidc/orgs"), admin,
                Map.of("name", org, "allowed_audiences", List.of())));

        assertThat(values(tab(org), "allowed_audiences"), is(List.of()));
        JsonNode settings = http.get(keycloak.admin(org, "/machine-oidc/settings"), admin).json();
        assertThat(texts(settings.get("allowed_audiences")), is(List.of()));
    }

    /**
     * A realm as the previous version exported it: the settings in realm attributes and a copy in the tab's component.
     * Imported (Keycloak's realm import, as {@code kc.sh import} does), the org has the settings of that copy.
     */
    @Test
    void anExportFromWhenTheSettingsWereRealmAttributesImportsWithThem() {
        String org = unique("legacy");
        ObjectNode realm = Http.JSON.createObjectNode().put("realm", org).put("enabled", true);
        realm.putObject("attributes").put("machine-oidc.org", "true").put("machine-oidc.token-lifetime", "900")
                .put("machine-oidc.allowed-audiences", "[]").put("machine-oidc.subject-template", "{org}:{app}");
        ObjectNode component = realm.putObject("components").putArray(TAB_TYPE).addObject()
                .put("name", TAB_ID).put("providerId", TAB_ID);
        set(component, "token_lifetime", "900");
        set(component, "nbf_backdate", "0");
        set(component, "mint_rate_limit", "100");
        set(component, "jwks_cache_seconds", "300");
        set(component, "subject_template", "{org}:{app}");
        set(component, "issuer", "https://old.example.com/" + org);

        JsonResponse imported = http.json("POST", keycloak.baseUrl() + "/admin/realms", admin, realm);

        assertThat(imported.body(), imported.status(), is(201));
        JsonNode settings = http.get(keycloak.admin(org, "/machine-oidc/settings"), admin).json();
        assertThat(settings.get("token_lifetime").asInt(), is(900));
        assertThat(settings.get("subject_template").asText(), is("{org}:{app}"));
        assertThat("no pattern in the copy: none allowed, as the attribute said", texts(settings.get("allowed_audiences")),
                is(List.of()));
    }

    @Test
    void savingTheTabWritesTheOrgSettingsAndIgnoresTheIssuer() {
        String org = unique("tab");
        Keycloak.assertCreated(keycloak.createOrg(admin, org));
        String orgAdmin = OrgAdmin.create(keycloak, admin, org, "alice", "realm-admin").token(keycloak);
        ObjectNode form = (ObjectNode) tab(org);
        set(form, "token_lifetime", "1234");
        set(form, "nbf_backdate", "15");
        set(form, "mint_rate_limit", "0.5");
        set(form, "subject_template", "{org}:{app}");
        set(form, "default_audience", "api://AzureADTokenExchange");
        set(form, "allowed_audiences", "sts.amazonaws.com", " ", "https://vault.*.example.com");
        set(form, "issuer", "https://evil.example.net/" + org);
        routeParams(form, org);

        JsonResponse saved = save(org, form, orgAdmin);

        assertThat(saved.body(), saved.status(), is(204));
        JsonNode settings = http.get(keycloak.admin(org, "/machine-oidc/settings"), admin).json();
        assertThat(settings.get("token_lifetime").asInt(), is(1234));
        assertThat(settings.get("nbf_backdate").asInt(), is(15));
        assertThat(settings.get("mint_rate_limit").asDouble(), is(0.5));
        assertThat(settings.get("subject_template").asText(), is("{org}:{app}"));
        assertThat(settings.get("default_audience").asText(), is("api://AzureADTokenExchange"));
        assertThat(texts(settings.get("allowed_audiences")), is(List.of("sts.amazonaws.com", "https://vault.*.example.com")));
        assertThat(settings.get("issuer").asText(), is(keycloak.baseUrl() + "/realms/" + org));
        JsonNode stored = tab(org);
        assertThat(value(stored, "issuer"), is(keycloak.baseUrl() + "/realms/" + org));
        assertThat("the console's route parameters are not kept", stored.path("config").has("tab"), is(false));

        // Clearing the default audience goes back to the issuer: the console sends the emptied field, which Keycloak
        // drops from the config (a field left out of a save keeps its stored value).
        ObjectNode cleared = (ObjectNode) stored;
        set(cleared, "default_audience", "");
        assertThat(save(org, cleared, orgAdmin).status(), is(204));
        assertThat(http.get(keycloak.admin(org, "/machine-oidc/settings"), admin).json().get("default_audience").asText(),
                is(keycloak.baseUrl() + "/realms/" + org));
        assertThat(values(tab(org), "default_audience"), is(List.of()));
    }

    @Test
    void invalidValuesAreRefusedWithAClearMessageAndChangeNothing() {
        String org = unique("tab");
        Keycloak.assertCreated(keycloak.createOrg(admin, org));

        assertRefused(org, "token_lifetime", "59", "Invalid machine identity settings: the token lifetime must be 60-86400 seconds.");
        assertRefused(org, "token_lifetime", "86401", "Invalid machine identity settings: the token lifetime must be 60-86400 seconds.");
        assertRefused(org, "token_lifetime", "ten", "Invalid machine identity settings: the token lifetime must be a whole number of seconds, not 'ten'.");
        assertRefused(org, "nbf_backdate", "3601", "Invalid machine identity settings: the nbf backdate must be 0-3600 seconds.");
        assertRefused(org, "mint_rate_limit", "0", "Invalid machine identity settings: the mint rate limit must be 0.01-100000 tokens per second, not 0.");
        assertRefused(org, "mint_rate_limit", "fast", "Invalid machine identity settings: the mint rate limit must be a number of tokens per second such as 10 or 0.5, not 'fast'.");
        assertRefused(org, "allowed_audiences", "tab\there", "Invalid machine identity settings: audience pattern 'tab\there' must be 1-256 printable characters.");
        assertRefused(org, "subject_template", "{org}:{region}", "Invalid machine identity settings: the subject template must "
                + "name the app or the machine with one of {app}, {machine}, {app_id}, {machine_id}.");
        assertRefused(org, "subject_template", "{org}::{app}", "Invalid machine identity settings: the subject template has an "
                + "empty segment at character 7: segments are separated by ':', so it may not start or end with ':' nor hold '::'.");
        assertRefused(org, "subject_template", "{org}:{app", "Invalid machine identity settings: the subject template has "
                + "unbalanced braces: the '{' at character 7 is not closed.");
        assertRefused(org, "default_audience", "tab\there", "Invalid machine identity settings: the default audience must be "
                + "1-256 printable characters.");

        JsonNode settings = http.get(keycloak.admin(org, "/machine-oidc/settings"), admin).json();
        assertThat(settings.get("token_lifetime").asInt(), is(600));
        assertThat(settings.get("nbf_backdate").asInt(), is(0));
        assertThat(settings.get("mint_rate_limit").asDouble(), is(100.0));
        assertThat(settings.get("subject_template").asText(), is("{org}:{app}:{machine}"));
        assertThat(settings.get("default_audience").asText(), is(keycloak.baseUrl() + "/realms/" + org));
        assertThat(value(tab(org), "token_lifetime"), is("600"));
        assertThat(value(tab(org), "subject_template"), is("{org}:{app}:{machine}"));
    }

    @Test
    void theTabRunsARotationStepOnSaveShowsTheKeysAndARefusalIsTheFormsError() {
        String org = unique("tab");
        Keycloak.assertCreated(keycloak.createOrg(admin, org));
        List<String> before = values(tab(org), "signing_keys");
        assertThat(before.toString(), before.size(), is(1));
        assertThat(before.get(0), containsString(": active"));

        ObjectNode prepare = (ObjectNode) tab(org);
        set(prepare, "key_rotation_step", "prepare");
        JsonResponse prepared = save(org, prepare, admin);

        assertThat(prepared.body(), prepared.status(), is(204));
        JsonNode keys = http.get(keycloak.admin(org, "/machine-oidc/keys"), admin).json().get("keys");
        assertThat(keys.get(0).get("state").asText(), is("next"));
        JsonNode stored = tab(org);
        // Keycloak stores a component's values as rows: the order of the lines is not kept.
        assertThat(values(stored, "signing_keys"), hasItem(containsString(keys.get(0).get("kid").asText() + ": next")));
        assertThat(values(stored, "signing_keys"), hasItem(containsString(keys.get(1).get("kid").asText() + ": active")));
        assertThat("the step is never stored", stored.path("config").has("key_rotation_step"), is(false));

        ObjectNode activate = (ObjectNode) stored;
        set(activate, "key_rotation_step", "activate");
        JsonResponse refused = save(org, activate, admin);

        assertThat(refused.body(), refused.status(), is(400));
        assertThat(refused.json().get("errorMessage").asText(), is("Key rotation step activate refused: Key "
                + keys.get(0).get("kid").asText() + " may sign from " + keys.get(0).get("activate_after").asText()
                + ": verifiers and proxies may hold a copy of the JWKS without it until then (jwks_cache_seconds 300)."));
        assertThat(http.get(keycloak.admin(org, "/machine-oidc/keys"), admin).json().get("keys").get(0).get("state").asText(),
                is("next"));
    }

    @Test
    void realmsThatAreNotOrgsRefuseTheTab() {
        String plain = unique("plain");
        JsonResponse realm = http.json("POST", keycloak.baseUrl() + "/admin/realms", admin, Map.of("realm", plain, "enabled", true));
        assertThat(realm.body(), realm.status(), is(201));

        for (String name : List.of(plain, "master")) {
            ObjectNode form = Http.JSON.createObjectNode().put("providerId", TAB_ID).put("providerType", TAB_TYPE);
            set(form, "token_lifetime", "1234");
            set(form, "nbf_backdate", "0");
            JsonResponse refused = http.json("POST", keycloak.admin(name, "/components"), admin, form);

            assertThat(refused.body(), refused.status(), is(400));
            assertThat(refused.json().get("errorMessage").asText(), is("Realm " + name + " is not a Machine OIDC org: "
                    + "machine identity settings exist only in org realms."));
            assertThat(tabs(name).size(), is(0));
        }
    }

    @Test
    void aSecondTabComponentIsRefused() {
        String org = unique("tab");
        Keycloak.assertCreated(keycloak.createOrg(admin, org));
        ObjectNode form = (ObjectNode) tab(org).deepCopy();
        form.remove("id");

        JsonResponse refused = http.json("POST", keycloak.admin(org, "/components"), admin, form);

        assertThat(refused.body(), refused.status(), is(400));
        assertThat(refused.json().get("errorMessage").asText(), containsString("Reload the page and save again."));
        assertThat(tabs(org).size(), is(1));
    }

    @Test
    void onlyAdminsWhoMayManageTheRealmSave() {
        String org = unique("tab");
        Keycloak.assertCreated(keycloak.createOrg(admin, org));
        String viewer = OrgAdmin.create(keycloak, admin, org, "viola", "view-realm").token(keycloak);
        ObjectNode form = (ObjectNode) tab(org);
        set(form, "token_lifetime", "1234");

        assertThat(http.get(keycloak.admin(org, "/components?type=" + TAB_TYPE), viewer).status(), is(200));
        assertThat(save(org, form, viewer).status(), is(403));
        assertThat(http.get(keycloak.admin(org, "/machine-oidc/settings"), admin).json().get("token_lifetime").asInt(), is(600));
    }

    private void assertRefused(String org, String field, String value, String message) {
        ObjectNode form = (ObjectNode) tab(org);
        set(form, field, value);

        JsonResponse refused = save(org, form, admin);

        assertThat(refused.body(), refused.status(), is(400));
        assertThat(refused.json().get("errorMessage").asText(), is(message));
    }

    /** What the console's Save does: PUT the component it loaded, with the form's values and the route's parameters. */
    private JsonResponse save(String org, JsonNode form, String bearer) {
        return http.json("PUT", keycloak.admin(org, "/components/" + form.get("id").asText()), bearer, form);
    }

    private JsonNode tab(String org) {
        List<JsonNode> tabs = tabs(org);
        assertThat("one Machine identity tab in " + org, tabs.size(), is(1));
        return tabs.get(0);
    }

    private List<JsonNode> tabs(String org) {
        JsonResponse components = http.get(keycloak.admin(org, "/components?type=" + TAB_TYPE), admin);
        assertThat(components.body(), components.status(), is(200));
        List<JsonNode> tabs = new ArrayList<>();
        components.json().forEach(component -> {
            if (TAB_ID.equals(component.path("providerId").asText())) {
                tabs.add(component);
            }
        });
        return tabs;
    }

    private static JsonNode find(JsonNode types, String id) {
        List<String> ids = new ArrayList<>();
        for (JsonNode type : types) {
            ids.add(type.path("id").asText());
            if (id.equals(type.path("id").asText())) {
                return type;
            }
        }
        assertThat(ids, hasItem(id));
        throw new AssertionError("unreachable");
    }

    private static String value(JsonNode component, String key) {
        List<String> values = values(component, key);
        assertThat(key + " of " + component, values.size(), is(1));
        return values.get(0);
    }

    private static List<String> values(JsonNode component, String key) {
        return texts(component.path("config").path(key));
    }

    private static List<String> texts(JsonNode array) {
        List<String> texts = new ArrayList<>();
        array.forEach(node -> texts.add(node.asText()));
        return texts;
    }

    private static void set(ObjectNode component, String key, String... values) {
        ObjectNode config = component.has("config") ? (ObjectNode) component.get("config") : component.putObject("config");
        ArrayNode array = config.putArray(key);
        for (String value : values) {
            array.add(value);
        }
    }

    /** The console adds its route's parameters to the config it saves. */
    private static void routeParams(ObjectNode component, String org) {
        set(component, "realm", org);
        set(component, "tab", "machine-identity");
    }
}
