package dev.machineoidc.bridge.keycloak;

import dev.machineoidc.bridge.mint.MintException;
import dev.machineoidc.bridge.mint.MintException.Kind;
import dev.machineoidc.bridge.mint.TokenRequest;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One call to the org's batch mint endpoint, authenticated by the machine's {@link MintAssertion}. A refused
 * assertion is replaced once (it may have expired by Keycloak's clock); a refusal of the new one means Keycloak no
 * longer takes this machine's key.
 */
final class KeycloakBatchCall implements BatchCall {

    private static final Logger LOG = LoggerFactory.getLogger(KeycloakBatchCall.class);

    private final KeycloakTransport transport;
    private final MintAssertion assertion;
    private final String path;

    KeycloakBatchCall(KeycloakTransport transport, String org, MintAssertion assertion) {
        this.transport = transport;
        this.assertion = assertion;
        this.path = "realms/" + org + "/machine-oidc/tokens";
    }

    @Override
    public List<MintOutcome> mint(List<TokenRequest> requests, AnswerDeadline deadline) throws MintException {
        String body = BatchJson.requests(requests);
        String proof = assertion.current();
        KeycloakResponse response = post(body, proof, deadline);
        if (response.status() == 401) {
            assertion.discard(proof);
            response = post(body, assertion.current(), deadline);
        }
        if (response.status() == 401) {
            KeycloakError error = KeycloakError.parse(response.body(), "invalid_token", "");
            LOG.warn("Keycloak refused the machine's key: {} (re-enrolled elsewhere, or the machine's clock is off?)",
                    error.message());
            throw new MintException(Kind.DENIED, "machine_revoked",
                    "Keycloak refused this machine's key: it was re-enrolled or revoked");
        }
        if (response.status() != 200) {
            throw MintFailures.forStatus(response.status(), KeycloakError.objectOrEmpty(response.body()));
        }
        return BatchJson.results(response.body(), requests.size());
    }

    private KeycloakResponse post(String body, String proof, AnswerDeadline deadline) throws MintException {
        try {
            return transport.post(path, "application/json", body, proof, deadline);
        } catch (KeycloakUnavailableException e) {
            throw MintFailures.unavailable();
        }
    }
}
