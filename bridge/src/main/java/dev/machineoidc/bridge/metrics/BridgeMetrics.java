package dev.machineoidc.bridge.metrics;

import dev.machineoidc.bridge.status.BridgeStatus;
import dev.machineoidc.bridge.tokenfile.TokenFileState;
import java.util.List;
import java.util.function.Function;

/**
 * The bridge's one metrics registry, created by {@code Bridge} and handed to what records into it: answers of the
 * token endpoint and Keycloak call latencies are counted as they happen; the gauges are read from the
 * {@link BridgeStatus} at each scrape.
 */
public final class BridgeMetrics {

    static final String ASSERTION_EXPIRY = "machine_oidc_bridge_assertion_expiry_timestamp_seconds";
    static final String FILE_WRITTEN = "machine_oidc_bridge_token_file_written_timestamp_seconds";
    static final String FILE_NEXT_REFRESH = "machine_oidc_bridge_token_file_next_refresh_timestamp_seconds";
    static final String FILE_ERRORS = "machine_oidc_bridge_token_file_errors_total";
    static final String FILE_FAILING = "machine_oidc_bridge_token_file_last_refresh_failed";

    private final RequestsByStatus requests = new RequestsByStatus();
    private final KeycloakLatency keycloakLatency = new KeycloakLatency();

    public RequestsByStatus requests() {
        return requests;
    }

    public KeycloakLatency keycloakLatency() {
        return keycloakLatency;
    }

    /** Everything, in the text exposition format, with the gauges as {@code status} reports them now. */
    public String expose(BridgeStatus.Snapshot status) {
        Exposition out = new Exposition();
        requests.expose(out);
        keycloakLatency.expose(out);
        out.family(ASSERTION_EXPIRY, "gauge",
                "When the mint assertion the bridge holds expires; absent while it holds none.");
        status.assertionExpiresAt().ifPresent(expiry -> out.sample(ASSERTION_EXPIRY, Exposition.seconds(expiry)));
        List<TokenFileState.Snapshot> files = status.tokenFiles();
        out.family(FILE_WRITTEN, "gauge", "When the token file was last written; absent until the first write.");
        for (TokenFileState.Snapshot file : files) {
            file.writtenAt().ifPresent(at -> out.sample(FILE_WRITTEN, Exposition.seconds(at), "path", path(file)));
        }
        perFile(out, files, FILE_NEXT_REFRESH, "gauge", "When the token in the file is due to be replaced (90 % of "
                + "its life after the write; the bridge's start before the first write). It stays put while "
                + "refreshes fail: time() past it means the file is overdue.",
                file -> Exposition.seconds(file.refreshDueAt()));
        perFile(out, files, FILE_ERRORS, "counter", "Failed attempts to refresh the token file.",
                file -> Long.toString(file.failures()));
        perFile(out, files, FILE_FAILING, "gauge", "1 when the latest attempt to refresh the token file failed.",
                file -> file.lastError().isPresent() ? "1" : "0");
        return out.text();
    }

    private static void perFile(Exposition out, List<TokenFileState.Snapshot> files, String name, String type,
                                String help, Function<TokenFileState.Snapshot, String> value) {
        out.family(name, type, help);
        for (TokenFileState.Snapshot file : files) {
            out.sample(name, value.apply(file), "path", path(file));
        }
    }

    private static String path(TokenFileState.Snapshot file) {
        return file.path().toString();
    }
}
