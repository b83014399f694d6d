package dev.machineoidc.bench.setup;

import com.fasterxml.jackson.databind.JsonNode;
import dev.machineoidc.arquillian.AdminClient;
import dev.machineoidc.arquillian.JsonResponse;
import java.io.IOException;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/** The admin REST calls that set the benchmark up; any answer but the expected one stops the benchmark. */
public final class AdminCalls {

    private static final SecureRandom SECRETS = new SecureRandom();
    /** The extension's OrgSettings.MAX_MINT_RATE_LIMIT. */
    private static final int MAX_MINT_RATE_LIMIT = 100_000;

    private final AdminClient admin;

    public AdminCalls(AdminClient admin) {
        this.admin = admin;
    }

    public record Org(String name, String issuer) {
    }

    public record NewMachine(String org, String machineId, String enrollmentToken) {
    }

    /**
     * An org whose mint rate limit is the highest there is: the benchmark measures minting, not refusals. Every mint
     * still pays the limiter's check and its write; only the default of 100 tokens per second per machine is lifted,
     * which one machine behind a busy bridge passes many times over.
     */
    public Org createOrg(String name) throws IOException, InterruptedException {
        JsonNode org = expect(201, "POST", "/admin/realms/master/machine-oidc/orgs",
                Map.of("name", name, "mint_rate_limit", MAX_MINT_RATE_LIMIT));
        return new Org(name, org.path("issuer").asText());
    }

    public void createApp(String org, String app) throws IOException, InterruptedException {
        expect(201, "POST", "/admin/realms/" + org + "/machine-oidc/apps", Map.of("name", app));
    }

    public NewMachine createMachine(String org, String app, String name) throws IOException, InterruptedException {
        JsonNode machine = expect(201, "POST", "/admin/realms/" + org + "/machine-oidc/apps/" + app + "/machines",
                Map.of("name", name, "region", "ams", "image", "registry.example/bench:1",
                        "image_digest", "sha256:" + "0".repeat(64)));
        return new NewMachine(org, machine.path("machine_id").asText(), machine.path("enrollment_token").asText());
    }

    /**
     * Creates machines {@code parallel} at a time, as an admin script would; names are {@code <prefix><00001…>}.
     * @return the last one
     */
    public NewMachine createMachines(String org, String app, String prefix, int count, int parallel) throws Exception {
        ExecutorService creators = Executors.newFixedThreadPool(parallel);
        try {
            List<Future<NewMachine>> created = new ArrayList<>();
            for (int i = 1; i <= count; i++) {
                String name = String.format(Locale.ROOT, "%s%05d", prefix, i);
                created.add(creators.submit(() -> createMachine(org, app, name)));
            }
            NewMachine last = null;
            for (Future<NewMachine> machine : created) {
                last = machine.get();
            }
            return last;
        } finally {
            creators.shutdownNow();
        }
    }

    /** A GET whose answer must be 200; for measuring reads. */
    public JsonNode read(String path) throws IOException, InterruptedException {
        return expect(200, "GET", path, null);
    }

    /** Keycloak's own "Clear realm cache": the next reads load the realm's clients from the database. */
    public void clearRealmCache(String realm) throws IOException, InterruptedException {
        expect(204, "POST", "/admin/realms/" + realm + "/clear-realm-cache", null);
    }

    /** The realm's standard "Save events" switch: one database row per mint when on. */
    public void storeEvents(String realm, boolean stored) throws IOException, InterruptedException {
        expect(204, "PUT", "/admin/realms/" + realm, Map.of("eventsEnabled", stored));
    }

    /** A plain realm, all at Keycloak's defaults (default client scopes, RS256 key). */
    public void createRealm(String realm) throws IOException, InterruptedException {
        expect(201, "POST", "/admin/realms", Map.of("realm", realm, "enabled", true));
    }

    /**
     * A confidential client that may use {@code client_credentials} with a secret, all else at Keycloak's defaults:
     * what a workload would be given without Machine OIDC.
     * @return the client's secret, chosen here so that one call creates the client
     */
    public String createClientCredentialsClient(String realm, String clientId) throws IOException, InterruptedException {
        byte[] random = new byte[24];
        SECRETS.nextBytes(random);
        String secret = Base64.getUrlEncoder().withoutPadding().encodeToString(random);
        expect(201, "POST", "/admin/realms/" + realm + "/clients", Map.of(
                "clientId", clientId, "publicClient", false, "serviceAccountsEnabled", true,
                "standardFlowEnabled", false, "clientAuthenticatorType", "client-secret", "secret", secret));
        return secret;
    }

    private JsonNode expect(int status, String method, String path, Object body) throws IOException, InterruptedException {
        JsonResponse response = admin.send(method, path, body);
        if (response.status() != status) {
            throw new IOException(method + " " + path + " answered " + response + ", expected HTTP " + status);
        }
        return response.body().isEmpty() ? null : response.json();
    }
}
