package dev.machineoidc.bridge.keycloak;

import dev.machineoidc.bridge.mint.MintException;
import dev.machineoidc.bridge.mint.TokenMinter;
import dev.machineoidc.bridge.mint.TokenRequest;
import java.time.Duration;

/**
 * Mints through the org's batch mint endpoint, concurrent callers sharing calls ({@link MintBatcher}).
 * Each caller's whole wait, queueing and a renewed assertion included, fits in one time budget so it is
 * answered promptly even when Keycloak hangs.
 */
public final class KeycloakMinter implements TokenMinter {

    private final MintBatcher batcher;
    private final Duration budget;

    private KeycloakMinter(MintBatcher batcher, Duration budget) {
        this.batcher = batcher;
        this.budget = budget;
    }

    /**
     * @param assertion the machine's proof for the org's mint endpoint
     * @param budget how long one {@link #mint} may take in all, retries included
     */
    public static KeycloakMinter create(KeycloakTransport transport, String org, MintAssertion assertion,
                                        Duration budget) {
        return new KeycloakMinter(new MintBatcher(new KeycloakBatchCall(transport, org, assertion)), budget);
    }

    @Override
    public String mint(TokenRequest request) throws MintException {
        return batcher.mint(request, AnswerDeadline.after(budget));
    }
}
