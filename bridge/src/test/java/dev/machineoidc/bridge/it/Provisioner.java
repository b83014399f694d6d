package dev.machineoidc.bridge.it;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.is;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.machineoidc.arquillian.AdminClient;
import dev.machineoidc.arquillian.JsonResponse;
import dev.machineoidc.arquillian.KeycloakServer;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

/** Orgs, apps and machines through the extension's admin API, each step asserted. */
final class Provisioner {

    static final String APP = "worker-app";
    static final String REGION = "sea";
    static final String IMAGE = "registry.example.com/acme/worker:1.4.2";
    static final String IMAGE_DIGEST = "sha256:2c1cdaded1b3820020c9dc9fdd1d6e798d6f6ca36861bb6ae64019fad6be9ee3";

    private final KeycloakServer server;
    private final AdminClient admin;

    Provisioner(KeycloakServer server) {
        this.server = server;
        this.admin = server.admin();
    }

    /** A new org (unique name starting with {@code prefix}) with app {@value #APP} and machine {@code machine-1}. */
    Machine newOrgWithMachine(String prefix) throws Exception {
        String org = prefix + "-" + UUID.randomUUID().toString().substring(0, 8);
        JsonNode created = expect(201, admin.post("/admin/realms/master/machine-oidc/orgs", Map.of("name", org))).json();
        String issuer = created.path("issuer").asText();
        assertThat("Keycloak's own realm issuer (no issuer-base-url configured)", issuer,
                is(server.baseUrl() + "/realms/" + org));
        JsonNode app = expect(201, admin.post("/admin/realms/" + org + "/machine-oidc/apps", Map.of("name", APP))).json();
        return newMachine(issuer, created.path("org_id").asText(), org, app.path("app_id").asText(), "machine-1");
    }

    /** Another machine in the org and app of {@code sibling}. */
    Machine newMachine(Machine sibling, String name) throws Exception {
        return newMachine(sibling.issuer(), sibling.orgId(), sibling.org(), sibling.appId(), name);
    }

    private Machine newMachine(String issuer, String orgId, String org, String appId, String name) throws Exception {
        JsonNode machine = expect(201, admin.post("/admin/realms/" + org + "/machine-oidc/apps/" + APP + "/machines",
                Map.of("name", name, "region", REGION, "image", IMAGE, "image_digest", IMAGE_DIGEST))).json();
        return new Machine(issuer, orgId, org, appId, APP, machine.path("machine_id").asText(), name,
                machine.path("machine_version").asText(), REGION, IMAGE, IMAGE_DIGEST,
                machine.path("enrollment_token").asText());
    }

    /** {@code PUT .../settings}; returns the settings as the server now holds them. */
    JsonNode putSettings(Machine machine, Map<String, Object> settings) throws Exception {
        return expect(200, admin.put("/admin/realms/" + machine.org() + "/machine-oidc/settings", settings)).json();
    }

    JsonNode settings(Machine machine) throws Exception {
        return expect(200, admin.get("/admin/realms/" + machine.org() + "/machine-oidc/settings")).json();
    }

    /**
     * The org as the admin API shows it: its settings, the machines of {@value #APP}, the realm's keys, and the
     * attributes of the machines' clients (among them each one's enrolled public key), by client id.
     */
    Map<String, JsonNode> orgState(Machine machine) throws Exception {
        return orgStateIfServed(machine).orElseThrow(() -> new AssertionError("the admin API answered 5xx"));
    }

    /** {@link #orgState}, or empty when a read was answered 5xx, as while Keycloak recovers from a database outage. */
    Optional<Map<String, JsonNode>> orgStateIfServed(Machine machine) throws Exception {
        String realm = "/admin/realms/" + machine.org();
        Map<String, JsonNode> state = new LinkedHashMap<>();
        for (String path : List.of("/machine-oidc/settings", "/machine-oidc/apps/" + APP + "/machines", "/keys", "/clients")) {
            JsonResponse response = admin.get(realm + path);
            if (response.status() >= 500) {
                return Optional.empty();
            }
            state.put(path, expect(200, response).json());
        }
        state.put("/clients", machineClientAttributes(state.get("/clients")));
        return Optional.of(state);
    }

    /** Only the attributes, and only of machines: the lists of a client's scopes come in no set order. */
    private static ObjectNode machineClientAttributes(JsonNode clients) {
        ObjectNode byClientId = JsonNodeFactory.instance.objectNode();
        clients.forEach(client -> {
            if (client.path("clientId").asText().startsWith("machine:")) {
                byClientId.set(client.path("clientId").asText(), client.path("attributes"));
            }
        });
        return byClientId;
    }

    /** {@code DELETE .../machines/{id}}: the contract's revocation. */
    void revoke(Machine machine) throws Exception {
        expect(204, admin.delete("/admin/realms/" + machine.org() + "/machine-oidc/apps/" + machine.app()
                + "/machines/" + machine.id()));
    }

    private static JsonResponse expect(int status, JsonResponse response) {
        assertThat(response.toString(), response.status(), is(status));
        return response;
    }
}
