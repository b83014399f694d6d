package dev.machineoidc.bridge.keycloak;

import dev.machineoidc.bridge.identity.MachineIdentity;
import dev.machineoidc.bridge.mint.MintException;
import dev.machineoidc.bridge.mint.TokenRequest;
import java.time.Clock;
import java.util.List;

/**
 * One call to the org's batch mint endpoint, authenticated by the machine's session; a refused session
 * is renewed once and the batch sent again.
 */
final class KeycloakBatchCall implements BatchCall {

    private final KeycloakTransport transport;
    private final MachineSession session;
    private final String path;

    private KeycloakBatchCall(KeycloakTransport transport, MachineSession session, String org) {
        this.transport = transport;
        this.session = session;
        this.path = "realms/" + org + "/machine-oidc/tokens";
    }

    static KeycloakBatchCall create(KeycloakTransport transport, String org, MachineIdentity identity, Clock clock) {
        ClientAssertion assertion = new ClientAssertion(identity, clock);
        return new KeycloakBatchCall(transport,
                new MachineSession(transport, org, identity.registration().clientId(), assertion, clock), org);
    }

    @Override
    public List<MintOutcome> mint(List<TokenRequest> requests, Deadline deadline) throws MintException {
        String body = BatchJson.requests(requests);
        String bearer = session.bearer(deadline);
        KeycloakResponse response = post(body, bearer, deadline);
        if (response.status() == 401) {
            session.invalidate(bearer);
            response = post(body, session.bearer(deadline), deadline);
        }
        if (response.status() != 200) {
            throw MintFailures.forStatus(response.status(), KeycloakError.objectOrEmpty(response.body()));
        }
        return BatchJson.results(response.body(), requests.size());
    }

    private KeycloakResponse post(String body, String bearer, Deadline deadline) throws MintException {
        try {
            return transport.post(path, "application/json", body, bearer, deadline);
        } catch (KeycloakUnavailableException e) {
            throw MintFailures.unavailable();
        }
    }
}
