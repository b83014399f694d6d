package dev.machineoidc.keycloak.it;

import com.fasterxml.jackson.databind.JsonNode;
import dev.machineoidc.arquillian.JsonResponse;
import dev.machineoidc.keycloak.it.support.Keycloak;
import dev.machineoidc.keycloak.it.support.OrgAdmin;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import static dev.machineoidc.keycloak.it.MintIT.assertError;
import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.hasItems;
import static org.hamcrest.Matchers.is;
import static org.hamcrest.Matchers.not;

/** The admin REST API: every documented status code, Keycloak's permission model, and nothing half-created. */
class AdminApiIT extends ProviderDeployment {

    private static final String DIGEST = "sha256:" + "a".repeat(64);

    private static String unique(String prefix) {
        return prefix + "-" + UUID.randomUUID().toString().substring(0, 8);
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "Upper", "-leading-dash", "under_score", "dot.ted", "spa ce",
            "a234567890123456789012345678901234567890123456789012345678901234"})
    void badOrgNamesAre400AndCreateNothing(String name) {
        assertError(keycloak.createOrg(admin, name), 400, "invalid_name");
        if (!name.isEmpty() && !name.contains(" ")) {
            assertThat(http.get(keycloak.admin(name, ""), admin).status(), is(404));
        }
    }

    @Test
    void malformedBodiesAre400() {
        String orgs = keycloak.admin("master", "/machine-oidc/orgs");
        assertError(http.json("POST", orgs, admin, "{"), 400, "invalid_json");
        assertError(http.json("POST", orgs, admin, "[]"), 400, "invalid_json");
        assertError(http.json("POST", orgs, admin, "{}"), 400, "invalid_request");
        assertError(http.json("POST", orgs, admin, "{\"name\":7}"), 400, "invalid_request");
        // Found by AdminApiFuzzIT: the new org's issuer was derived from a lone surrogate before the name was checked.
        assertError(http.json("POST", orgs, admin, "{\"name\":\"\\ud800\"}"), 400, "invalid_name");
        String org = unique("bad-settings");
        assertError(http.json("POST", orgs, admin, Map.of("name", org, "token_lifetime", 5)), 400, "invalid_settings");
        assertThat("a refused org leaves no realm", http.get(keycloak.admin(org, ""), admin).status(), is(404));
    }

    /** Issue 11, found by AdminApiFuzzIT: a form or multipart body answered 500, parsed before any code of ours ran. */
    @Test
    void otherContentTypesAre415NotA500() {
        String org = unique("content-types");
        Keycloak.assertCreated(keycloak.createOrg(admin, org));
        Keycloak.assertCreated(keycloak.createApp(admin, org, "web"));
        JsonNode machine = Keycloak.assertCreated(keycloak.createMachine(admin, org, "web", machine("m"))).json();
        String enrollment = keycloak.admin(org, "/machine-oidc/apps/web/machines/" + machine.get("machine_id").asText() + "/enrollment");
        for (String url : List.of(keycloak.admin("master", "/machine-oidc/orgs"), keycloak.admin(org, "/machine-oidc/apps"), enrollment)) {
            for (String type : List.of("multipart/form-data; boundary=x", "application/x-www-form-urlencoded")) {
                JsonResponse answer = http.send("POST", url, admin, type, "{\"name\":\"%zz\"}");
                assertThat(url + " " + type + ": " + answer, answer.status(), is(415));
            }
        }
        assertThat("no body needs no content type", http.send("POST", enrollment, admin, null, null).status(), is(201));
        assertError(http.send("POST", enrollment, admin, "application/json", "[]"), 400, "invalid_json");
    }

    @Test
    void createdOrgAnswersWithIdNameAndIssuer() {
        String org = unique("created");
        JsonResponse created = Keycloak.assertCreated(keycloak.createOrg(admin, org));
        JsonNode json = created.json();
        assertThat(json.get("org_name").asText(), is(org));
        assertThat(json.get("issuer").asText(), is(keycloak.baseUrl() + "/realms/" + org));
        JsonNode realm = http.get(keycloak.admin(org, ""), admin).json();
        assertThat(json.get("org_id").asText(), is(realm.get("id").asText()));
        assertError(keycloak.createOrg(admin, org), 409, "conflict");
        assertError(keycloak.createOrg(admin, "master"), 409, "conflict");
    }

    @Test
    void subjectTemplateAndDefaultAudienceAreSettingsWithDefaults() {
        String org = unique("subject");
        Keycloak.assertCreated(keycloak.createOrg(admin, org));
        String settings = keycloak.admin(org, "/machine-oidc/settings");
        String issuer = keycloak.baseUrl() + "/realms/" + org;

        JsonNode defaults = http.get(settings, admin).json();
        assertThat(defaults.get("subject_template").asText(), is("{org}:{app}:{machine}"));
        assertThat(defaults.get("default_audience").asText(), is(issuer));

        JsonResponse put = http.json("PUT", settings, admin,
                Map.of("subject_template", "{org_id}:{app_id}:{machine_id}", "default_audience", "https://fly.io/" + org));
        assertThat(put.body(), put.status(), is(200));
        assertThat(put.json().get("subject_template").asText(), is("{org_id}:{app_id}:{machine_id}"));
        assertThat(put.json().get("default_audience").asText(), is("https://fly.io/" + org));
        assertThat(http.get(settings, admin).json(), is(put.json()));
        assertThat(storedSettings(org).get("default_audience").get(0).asText(), is("https://fly.io/" + org));

        // The issuer as default audience (what GET shows while none is set) sets none: it keeps following the issuer.
        JsonResponse back = http.json("PUT", settings, admin, Map.of("default_audience", issuer));
        assertThat(back.body(), back.status(), is(200));
        assertThat(back.json().get("default_audience").asText(), is(issuer));
        assertThat(storedSettings(org).has("default_audience"), is(false));

        String created = unique("subject-created");
        Keycloak.assertCreated(http.json("POST", keycloak.admin("master", "/machine-oidc/orgs"), admin,
                Map.of("name", created, "subject_template", "{org}:{app}", "default_audience", "vault")));
        JsonNode createdSettings = http.get(keycloak.admin(created, "/machine-oidc/settings"), admin).json();
        assertThat(createdSettings.get("subject_template").asText(), is("{org}:{app}"));
        assertThat(createdSettings.get("default_audience").asText(), is("vault"));
    }

    @ParameterizedTest
    @ValueSource(strings = {
            "{\"subject_template\":\"{org}\"}|the subject template must name the app or the machine with one of {app}, {machine}, {app_id}, {machine_id}",
            "{\"subject_template\":\"{org}::{machine}\"}|the subject template has an empty segment at character 7: segments are separated by ':', so it may not start or end with ':' nor hold '::'",
            "{\"subject_template\":\":{machine}\"}|the subject template has an empty segment at character 1: segments are separated by ':', so it may not start or end with ':' nor hold '::'",
            "{\"subject_template\":\"{machine}:\"}|the subject template has an empty segment at character 10: segments are separated by ':', so it may not start or end with ':' nor hold '::'",
            "{\"subject_template\":\"{org}:{host}\"}|the subject template has an unknown placeholder {host}; known are {org}, {app}, {machine}, {org_id}, {app_id}, {machine_id}, {region}",
            "{\"subject_template\":\"{org}:{machine\"}|the subject template has unbalanced braces: the '{' at character 7 is not closed",
            "{\"subject_template\":\"{org}}:{machine}\"}|the subject template has unbalanced braces: the '}' at character 6 closes no '{'",
            "{\"subject_template\":\"{org}:{machine}\\u00e9\"}|the subject template may hold only printable ASCII characters without spaces, not U+00E9 at character 16",
            "{\"subject_template\":\"\"}|the subject template is required",
            "{\"default_audience\":\"\"}|the default audience must be 1-256 printable characters",
            "{\"default_audience\":\"tab\\there\"}|the default audience must be 1-256 printable characters",
            "{\"token_lifetime\":900,\"subject_template\":\"{org}\"}|the subject template must name the app or the machine with one of {app}, {machine}, {app_id}, {machine_id}"})
    void invalidSubjectTemplatesAndDefaultAudiencesAre400AndChangeNothing(String caseLine) {
        String body = caseLine.substring(0, caseLine.indexOf('|'));
        String message = caseLine.substring(caseLine.indexOf('|') + 1);
        String org = unique("bad-subject");
        Keycloak.assertCreated(keycloak.createOrg(admin, org));
        String settings = keycloak.admin(org, "/machine-oidc/settings");
        JsonNode before = http.get(settings, admin).json();

        JsonResponse refused = http.json("PUT", settings, admin, body);

        assertError(refused, 400, "invalid_settings");
        assertThat(refused.json().get("message").asText(), is("Invalid settings: " + message + "."));
        assertThat(http.get(settings, admin).json(), is(before));
    }

    @Test
    void anOverlongSubjectTemplateIs400() {
        String org = unique("long-subject");
        Keycloak.assertCreated(keycloak.createOrg(admin, org));

        JsonResponse refused = http.json("PUT", keycloak.admin(org, "/machine-oidc/settings"), admin,
                Map.of("subject_template", "{machine}" + "x".repeat(248)));

        assertError(refused, 400, "invalid_settings");
        assertThat(refused.json().get("message").asText(), is("Invalid settings: the subject template must be at most 256 "
                + "characters, not 257."));
        assertError(http.json("PUT", keycloak.admin(org, "/machine-oidc/settings"), admin, Map.of("subject_template", 7)),
                400, "invalid_request");
    }

    /** Issue 11: simultaneous creates of one org used to answer 500 (H2's lock timeout) in about half the rounds. */
    @Test
    void simultaneousCreatesOfOneOrgGiveOne201AndOnly409s() throws Exception {
        new OrgCreationRace(List.of(new OrgCreationRace.Caller(keycloak, server)), 8).run(20)
                .forEach(line -> System.out.println("AdminApiIT org creation race " + line));
    }

    @Test
    void appsAndMachinesHaveCreateReadConflictAndNotFound() {
        String org = unique("apps");
        Keycloak.assertCreated(keycloak.createOrg(admin, org));
        JsonNode app = Keycloak.assertCreated(keycloak.createApp(admin, org, "web")).json();
        assertThat(app.get("app_name").asText(), is("web"));
        assertError(keycloak.createApp(admin, org, "web"), 409, "conflict");
        assertError(keycloak.createApp(admin, org, "Web"), 400, "invalid_name");
        assertThat(http.get(keycloak.admin(org, "/machine-oidc/apps"), admin).json().size(), is(1));
        assertThat(http.get(keycloak.admin(org, "/machine-oidc/apps/web"), admin).json().get("app_id").asText(),
                is(app.get("app_id").asText()));
        assertError(http.get(keycloak.admin(org, "/machine-oidc/apps/nope"), admin), 404, "not_found");
        assertError(http.get(keycloak.admin(org, "/machine-oidc/apps/nope/machines"), admin), 404, "not_found");

        JsonNode machine = Keycloak.assertCreated(keycloak.createMachine(admin, org, "web", machine("m1"))).json();
        assertThat(machine.get("machine_id").asText().matches("[0-9a-f]{14}"), is(true));
        assertThat(machine.get("enrollment_token").asText().length() > 30, is(true));
        assertThat(machine.get("enrollment_expires_at").asText().isEmpty(), is(false));
        assertError(keycloak.createMachine(admin, org, "web", machine("m1")), 409, "conflict");
        String machines = keycloak.admin(org, "/machine-oidc/apps/web/machines");
        assertThat(http.get(machines, admin).json().size(), is(1));
        JsonNode read = http.get(machines + "/" + machine.get("machine_id").asText(), admin).json();
        assertThat(read.get("machine_name").asText(), is("m1"));
        assertThat("reads never show the enrollment token", read.has("enrollment_token"), is(false));
        assertError(http.get(machines + "/0123456789abcd", admin), 404, "not_found");
        assertError(http.get(machines + "/not-an-id", admin), 404, "not_found");

        Keycloak.assertCreated(keycloak.createApp(admin, org, "api"));
        assertError(http.get(keycloak.admin(org, "/machine-oidc/apps/api/machines/" + machine.get("machine_id").asText()), admin),
                404, "not_found");
        assertError(http.send("DELETE", keycloak.admin(org, "/machine-oidc/apps/web"), admin, null, null), 409, "conflict");
        assertThat(http.send("DELETE", keycloak.admin(org, "/machine-oidc/apps/api"), admin, null, null).status(), is(204));
    }

    /** Issue 14: the orgs list shows each caller the orgs Keycloak lets them see, and only orgs. */
    @Test
    void theOrgsListShowsTheOrgsTheCallerMaySee() {
        String seen = unique("listed");
        String other = unique("unlisted");
        Keycloak.assertCreated(keycloak.createOrg(admin, seen));
        Keycloak.assertCreated(keycloak.createOrg(admin, other));
        String orgs = keycloak.admin("master", "/machine-oidc/orgs");

        JsonNode all = http.get(orgs, admin).json();
        List<String> names = new ArrayList<>();
        all.forEach(org -> names.add(org.get("org_name").asText()));
        assertThat(names, hasItems(seen, other));
        assertThat("orgs only, not master", names, not(hasItem("master")));
        assertThat("sorted by name", names, is(names.stream().sorted().toList()));
        JsonNode listed = all.get(names.indexOf(seen));
        assertThat(listed.get("issuer").asText(), is(keycloak.baseUrl() + "/realms/" + seen));
        assertThat(listed.get("org_id").asText(), is(http.get(keycloak.admin(seen, ""), admin).json().get("id").asText()));

        String viewer = OrgAdmin.inMaster(keycloak, admin, seen, unique("viewer"), "view-realm").token(keycloak);
        JsonNode theirs = http.get(orgs, viewer).json();
        assertThat(theirs.toString(), theirs.size(), is(1));
        assertThat(theirs.get(0).get("org_name").asText(), is(seen));
        assertError(http.get(keycloak.admin(seen, "/machine-oidc/orgs"), admin), 404, "not_found");
    }

    /** Issue 14: the machines list pages and filters by name prefix; bad query values are 400s that say which. */
    @Test
    void theMachinesListPagesAndFiltersByNamePrefix() {
        String org = unique("paging");
        Keycloak.assertCreated(keycloak.createOrg(admin, org));
        Keycloak.assertCreated(keycloak.createApp(admin, org, "web"));
        // An app whose name starts with the other's: its machines' client ids also contain "@web".
        Keycloak.assertCreated(keycloak.createApp(admin, org, "web-2"));
        for (String name : List.of("db-1", "web-1", "web-2", "web-3")) {
            Keycloak.assertCreated(keycloak.createMachine(admin, org, "web", machine(name)));
        }
        Keycloak.assertCreated(keycloak.createMachine(admin, org, "web-2", machine("web-1b")));
        String machines = keycloak.admin(org, "/machine-oidc/apps/web/machines");

        assertThat(names(http.get(machines, admin).json()), is(List.of("db-1", "web-1", "web-2", "web-3")));
        assertThat(names(http.get(machines + "?first=1&max=2", admin).json()), is(List.of("web-1", "web-2")));
        assertThat(names(http.get(machines + "?search=web", admin).json()), is(List.of("web-1", "web-2", "web-3")));
        assertThat(names(http.get(machines + "?search=web&first=2&max=5", admin).json()), is(List.of("web-3")));
        assertThat(names(http.get(machines + "?search=nope", admin).json()), is(List.of()));
        JsonNode first = http.get(machines + "?max=1", admin).json().get(0);
        assertThat(first.get("enabled").asBoolean(), is(true));
        assertThat(first.get("enrolled").asBoolean(), is(false));
        assertThat(Instant.parse(first.get("created_at").asText()).isAfter(Instant.now().minusSeconds(600)), is(true));

        JsonNode apps = http.get(keycloak.admin(org, "/machine-oidc/apps"), admin).json();
        assertThat(apps.get(0).get("app_name").asText() + "=" + apps.get(0).get("machine_count").asLong()
                + "," + apps.get(1).get("app_name").asText() + "=" + apps.get(1).get("machine_count").asLong(), is("web=4,web-2=1"));
        assertThat(http.get(keycloak.admin(org, "/machine-oidc/apps/web"), admin).json().get("machine_count").asLong(), is(4L));

        for (String bad : List.of("first=-1", "first=x", "max=0", "max=1001", "max=99999999999", "search=Web", "search=a%25")) {
            assertError(http.get(machines + "?" + bad, admin), 400, "invalid_query");
        }
    }

    @Test
    void badMachineBodiesAre400AndLeaveNothingBehind() {
        String org = unique("bad-machines");
        Keycloak.assertCreated(keycloak.createOrg(admin, org));
        Keycloak.assertCreated(keycloak.createApp(admin, org, "web"));

        assertError(keycloak.createMachine(admin, org, "web", Map.of("name", "m")), 400, "invalid_request");
        assertError(keycloak.createMachine(admin, org, "web", with(machine("m"), "region", "SEA!")), 400, "invalid_region");
        assertError(keycloak.createMachine(admin, org, "web", with(machine("m"), "image", "has space")), 400, "invalid_image");
        assertError(keycloak.createMachine(admin, org, "web", with(machine("m"), "image_digest", "sha256:xyz")), 400, "invalid_image_digest");
        assertError(keycloak.createMachine(admin, org, "web", with(machine("M"), "name", "M")), 400, "invalid_name");

        assertThat(http.get(keycloak.admin(org, "/machine-oidc/apps/web/machines"), admin).json().size(), is(0));
        JsonNode clients = http.get(keycloak.admin(org, "/clients?clientId=machine:&search=true"), admin).json();
        assertThat("no machine client was left behind", clients.size(), is(0));

        JsonNode created = Keycloak.assertCreated(keycloak.createMachine(admin, org, "web", machine("m"))).json();
        String path = keycloak.admin(org, "/machine-oidc/apps/web/machines/" + created.get("machine_id").asText());
        assertError(http.json("PUT", path, admin, Map.of("image_digest", "md5:abc")), 400, "invalid_image_digest");
        assertThat(http.get(path, admin).json().get("machine_version").asText(), is(created.get("machine_version").asText()));
    }

    @Test
    void orgsAreCreatedOnlyOnMasterAndAppsOnlyInOrgs() {
        assertError(http.json("POST", keycloak.admin("master", "/machine-oidc/apps"), admin, Map.of("name", "x")), 404, "not_found");
        String org = unique("not-master");
        Keycloak.assertCreated(keycloak.createOrg(admin, org));
        assertError(http.json("POST", keycloak.admin(org, "/machine-oidc/orgs"), admin, Map.of("name", "y")), 404, "not_found");
    }

    @Test
    void anOrgAdminManagesOnlyTheirOrg() {
        String mine = unique("mine");
        String theirs = unique("theirs");
        Keycloak.assertCreated(keycloak.createOrg(admin, mine));
        Keycloak.assertCreated(keycloak.createOrg(admin, theirs));
        String orgAdmin = orgAdminToken(mine, "realm-admin");

        Keycloak.assertCreated(keycloak.createApp(orgAdmin, mine, "web"));
        assertThat(http.get(keycloak.admin(mine, "/machine-oidc/settings"), orgAdmin).status(), is(200));
        // Keycloak itself refuses a token of one realm on another realm's admin API, before our resource runs.
        assertThat(keycloak.createApp(orgAdmin, theirs, "web").status(), is(403));
        assertThat(http.get(keycloak.admin(theirs, "/machine-oidc/apps"), orgAdmin).status(), is(403));
        assertThat(keycloak.createOrg(orgAdmin, unique("nope")).status(), is(403));
        assertThat("the refused app was not created", http.get(keycloak.admin(theirs, "/machine-oidc/apps"), admin).json().size(), is(0));
    }

    @Test
    void aViewerCanReadButNotWrite() {
        String org = unique("viewer");
        Keycloak.assertCreated(keycloak.createOrg(admin, org));
        Keycloak.assertCreated(keycloak.createApp(admin, org, "web"));
        String viewer = orgAdminToken(org, "view-clients");

        assertThat(http.get(keycloak.admin(org, "/machine-oidc/apps"), viewer).status(), is(200));
        assertError(keycloak.createApp(viewer, org, "api"), 403, "forbidden");
        assertError(keycloak.createMachine(viewer, org, "web", machine("m")), 403, "forbidden");
        assertError(http.json("PUT", keycloak.admin(org, "/machine-oidc/settings"), viewer, Map.of("token_lifetime", 120)), 403, "forbidden");
    }

    @Test
    void noTokenIs401() {
        assertThat(keycloak.createOrg(null, unique("anon")).status(), is(401));
    }

    /** A user of the org's own realm holding one realm-management role, and their admin token. */
    private static List<String> names(JsonNode machines) {
        List<String> names = new ArrayList<>();
        machines.forEach(machine -> names.add(machine.get("machine_name").asText()));
        return names;
    }

    private String orgAdminToken(String org, String role) {
        return OrgAdmin.create(keycloak, admin, org, "alice", role).token(keycloak);
    }

    /** The org's settings where they are stored: the config of its Machine identity tab's component. */
    private JsonNode storedSettings(String org) {
        JsonNode tabs = http.get(keycloak.admin(org, "/components?type=" + MachineIdentityTabIT.TAB_TYPE), admin).json();
        for (JsonNode tab : tabs) {
            if (MachineIdentityTabIT.TAB_ID.equals(tab.path("providerId").asText())) {
                return tab.path("config");
            }
        }
        throw new AssertionError("no Machine identity tab in " + org + ": " + tabs);
    }

    private static Map<String, String> machine(String name) {
        return Map.of("name", name, "region", "sea", "image", "registry.example.com/app:1", "image_digest", DIGEST);
    }

    private static Map<String, String> with(Map<String, String> base, String key, String value) {
        Map<String, String> copy = new HashMap<>(base);
        copy.put(key, value);
        return copy;
    }
}
