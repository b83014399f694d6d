package dev.machineoidc.bridge.status;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.equalTo;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.machineoidc.bridge.tokenfile.TokenFileState;
import java.net.URI;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

class StatusJsonTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Instant NOW = Instant.parse("2026-11-26T10:00:00.123456Z");

    private static JsonNode render(Optional<Instant> assertionExpiry, List<TokenFileState.Snapshot> files)
            throws Exception {
        return JSON.readTree(new StatusJson().render(new BridgeStatus.Snapshot("148e21ea7e46e8", "acme",
                URI.create("http://kc-2:8080"), assertionExpiry, files)));
    }

    private static Set<String> fieldNames(JsonNode node) {
        Set<String> names = new TreeSet<>();
        node.fieldNames().forEachRemaining(names::add);
        return names;
    }

    @Test
    void theContractsFieldsWithTimesInIso8601ToTheSecond() throws Exception {
        TokenFileState.Snapshot file = new TokenFileState.Snapshot(Path.of("/.fly/oidc_token"), "sts.amazonaws.com",
                Optional.of(NOW), NOW.plusSeconds(540), NOW.plusSeconds(540), Optional.empty(), 0, Optional.empty());

        JsonNode json = render(Optional.of(NOW.plusSeconds(300)), List.of(file));

        assertThat(fieldNames(json), equalTo(Set.of("machine_id", "org", "keycloak_url", "session_expires_at",
                "token_files")));
        assertThat(json.path("machine_id").asText(), equalTo("148e21ea7e46e8"));
        assertThat(json.path("org").asText(), equalTo("acme"));
        assertThat(json.path("keycloak_url").asText(), equalTo("http://kc-2:8080"));
        assertThat(json.path("session_expires_at").asText(), equalTo("2026-11-26T10:05:00Z"));
        JsonNode written = json.path("token_files").get(0);
        assertThat(fieldNames(written), equalTo(Set.of("path", "aud", "written_at", "next_refresh_at",
                "next_attempt_at", "last_error", "removed_at")));
        assertThat(written.path("path").asText(), equalTo("/.fly/oidc_token"));
        assertThat(written.path("aud").asText(), equalTo("sts.amazonaws.com"));
        assertThat(written.path("written_at").asText(), equalTo("2026-11-26T10:00:00Z"));
        assertThat(written.path("next_refresh_at").asText(), equalTo("2026-11-26T10:09:00Z"));
        assertThat(written.path("next_attempt_at").asText(), equalTo("2026-11-26T10:09:00Z"));
        assertThat(written.path("last_error").isNull(), equalTo(true));
        assertThat(written.path("removed_at").isNull(), equalTo(true));
    }

    @Test
    void absentValuesAreNull() throws Exception {
        TokenFileState.Snapshot never = new TokenFileState.Snapshot(Path.of("/x/t"), "vault", Optional.empty(),
                NOW, NOW.plusSeconds(4), Optional.of("keycloak_unavailable: Keycloak is unreachable"), 3, Optional.empty());
        TokenFileState.Snapshot removed = new TokenFileState.Snapshot(Path.of("/x/r"), "vault",
                Optional.of(NOW.minusSeconds(600)), NOW.minusSeconds(60), NOW.plusSeconds(8),
                Optional.of("keycloak_unavailable: Keycloak is unreachable"), 9, Optional.of(NOW.minusSeconds(30)));

        JsonNode json = render(Optional.empty(), List.of(never, removed));

        assertThat(json.path("session_expires_at").isNull(), equalTo(true));
        JsonNode file = json.path("token_files").get(0);
        assertThat(file.path("written_at").isNull(), equalTo(true));
        assertThat(file.path("next_refresh_at").asText(), equalTo("2026-11-26T10:00:00Z"));
        assertThat(file.path("next_attempt_at").asText(), equalTo("2026-11-26T10:00:04Z"));
        assertThat(file.path("last_error").asText(), equalTo("keycloak_unavailable: Keycloak is unreachable"));
        assertThat(file.path("removed_at").isNull(), equalTo(true));
        assertThat(json.path("token_files").get(1).path("removed_at").asText(), equalTo("2026-11-26T09:59:30Z"));
    }

    @Test
    void noTokenFileIsAnEmptyList() throws Exception {
        JsonNode json = render(Optional.empty(), List.of());

        assertThat(json.path("token_files").isArray(), equalTo(true));
        assertThat(json.path("token_files").size(), equalTo(0));
    }

    @Test
    void theSnapshotReadsItsSourcesAtTheTimeItIsTaken() {
        TokenFileState state = new TokenFileState(Path.of("/x/t"), "vault", NOW);
        AtomicReference<URI> url = new AtomicReference<>(URI.create("http://kc-1:8080"));
        BridgeStatus status = new BridgeStatus("148e21ea7e46e8", "acme", url::get, Optional::empty, List.of(state));
        BridgeStatus.Snapshot before = status.snapshot();

        url.set(URI.create("http://kc-2:8080"));

        assertThat(before.keycloakUrl(), equalTo(URI.create("http://kc-1:8080")));
        assertThat(status.snapshot().keycloakUrl(), equalTo(URI.create("http://kc-2:8080")));
        assertThat(status.snapshot().tokenFiles(), equalTo(List.of(state.snapshot())));
    }
}
