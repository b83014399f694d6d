package dev.machineoidc.bridge.status;

import dev.machineoidc.bridge.tokenfile.TokenFileState;
import java.net.URI;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * What the bridge is doing right now, read from the parts that know: the status view ({@code GET /v1/status}) and the
 * metrics' gauges both show a {@link Snapshot} of it. Never a token, key or assertion.
 */
public final class BridgeStatus {

    private final String machineId;
    private final String org;
    private final Supplier<URI> keycloakUrl;
    private final Supplier<Optional<Instant>> assertionExpiry;
    private final List<TokenFileState> tokenFiles;

    /**
     * @param keycloakUrl the Keycloak URL in use: the one that answered last
     * @param assertionExpiry when the mint assertion held now expires; empty when none is held
     * @param tokenFiles one state per token file the bridge keeps, each reported into by its refresher
     */
    public BridgeStatus(String machineId, String org, Supplier<URI> keycloakUrl,
                        Supplier<Optional<Instant>> assertionExpiry, List<TokenFileState> tokenFiles) {
        this.machineId = machineId;
        this.org = org;
        this.keycloakUrl = keycloakUrl;
        this.assertionExpiry = assertionExpiry;
        this.tokenFiles = List.copyOf(tokenFiles);
    }

    public Snapshot snapshot() {
        return new Snapshot(machineId, org, keycloakUrl.get(), assertionExpiry.get(),
                tokenFiles.stream().map(TokenFileState::snapshot).toList());
    }

    /** @param assertionExpiresAt shown as {@code session_expires_at}: the mint assertion took the session's place */
    public record Snapshot(String machineId, String org, URI keycloakUrl, Optional<Instant> assertionExpiresAt,
                           List<TokenFileState.Snapshot> tokenFiles) {
    }
}
