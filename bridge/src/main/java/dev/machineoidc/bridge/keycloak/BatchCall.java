package dev.machineoidc.bridge.keycloak;

import dev.machineoidc.bridge.mint.MintException;
import dev.machineoidc.bridge.mint.TokenRequest;
import java.util.List;

/** Mints several tokens with one call to Keycloak. */
interface BatchCall {

    /**
     * @param requests 1 to {@link MintBatcher#MAX_BATCH}
     * @return one outcome per request, in the same order
     * @throws MintException when Keycloak failed the batch as a whole: every caller in it gets this answer
     */
    List<MintOutcome> mint(List<TokenRequest> requests, AnswerDeadline deadline) throws MintException;
}
