package dev.machineoidc.bench.fleet;

import dev.machineoidc.bench.http1.Http11Post;
import dev.machineoidc.bench.http1.Http11Response;
import dev.machineoidc.bridge.identity.MachineIdentity;
import dev.machineoidc.bridge.keycloak.BatchJson;
import dev.machineoidc.bridge.keycloak.MintAssertion;
import dev.machineoidc.bridge.mint.TokenRequest;
import java.time.Clock;
import java.util.List;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * An enrolled machine minting as its bridge does at the token file's cadence, with the bridge's own code for the
 * proof and the body: one token for the file's audience, nothing to batch with. Nine minutes after its last mint
 * a bridge holds no proof it can reuse ({@link CadenceCheck}), so each mint starts from a {@link MintAssertion}
 * with nothing cached, on the real clock that Keycloak checks the proof's times against.
 */
record FleetMachine(String org, MachineIdentity identity, String mintPath, TlsClient tls) implements FleetMember {

    private static final List<TokenRequest> ONE_TOKEN = List.of(TokenRequest.forAudience("sts.amazonaws.com"));
    private static final Pattern ONE_TOKEN_ANSWER = Pattern.compile(
            "\\{\"results\":\\[\\{\"token\":\"[A-Za-z0-9_-]+\\.[A-Za-z0-9_-]+\\.[A-Za-z0-9_-]+\"}]}");

    @Override
    public Http11Post tokenRequest() {
        String proof = new MintAssertion(org, identity, Clock.systemUTC()).current();
        return new Http11Post(mintPath, Optional.of("Bearer " + proof), "application/json", BatchJson.requests(ONE_TOKEN));
    }

    @Override
    public boolean isToken(Http11Response answer) {
        return answer.status() == 200 && ONE_TOKEN_ANSWER.matcher(answer.body()).matches();
    }
}
