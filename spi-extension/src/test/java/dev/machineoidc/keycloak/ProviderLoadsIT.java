package dev.machineoidc.keycloak;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.empty;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.is;
import static org.hamcrest.Matchers.not;

import java.nio.file.Files;
import java.util.ArrayList;
import java.util.List;

import com.fasterxml.jackson.databind.JsonNode;
import dev.machineoidc.arquillian.JsonResponse;
import dev.machineoidc.arquillian.ServerLog;
import dev.machineoidc.keycloak.it.ProviderDeployment;
import org.junit.jupiter.api.Test;

/** The provider jar as Maven built it loads into the real Keycloak: its providers are registered, and nothing of ours fails. */
class ProviderLoadsIT extends ProviderDeployment {

    @Test
    void serverInfoListsOurProviders() throws Exception {
        JsonResponse serverInfo = server.admin().get("/admin/serverinfo");
        assertThat(serverInfo.toString(), serverInfo.status(), is(200));
        JsonNode providers = serverInfo.json().path("providers");

        assertThat(providerIds(providers, "protocol-mapper"), hasItem("oidc-machine-claims-mapper"));
        assertThat(providerIds(providers, "realm-restapi-extension"), hasItem("machine-oidc"));
        assertThat(providerIds(providers, "admin-realm-restapi-extension"), hasItem("machine-oidc"));
    }

    /** Only the server's start: errors that other test classes provoke later are theirs to assert on. */
    @Test
    void startingWithOurProvidersLogsNoErrorFromOurCode() throws Exception {
        assertThat(ServerLog.startupErrorsMentioning(server.logFile(), "dev.machineoidc"), is(empty()));
    }

    /** native-signing is on by default and the native library inside our jar loads in the server. */
    @Test
    void mintsSignWithAwsLc() throws Exception {
        String log = Files.readString(server.logFile());
        assertThat(log, containsString("Machine OIDC mints sign RS256 with AWS-LC via ACCP"));
        assertThat(log, not(containsString("Machine OIDC mints sign RS256 with the JDK")));
    }

    private static List<String> providerIds(JsonNode providers, String spi) {
        List<String> ids = new ArrayList<>();
        providers.path(spi).path("providers").fieldNames().forEachRemaining(ids::add);
        return ids;
    }
}
