package dev.machineoidc.bench.fleet;

import dev.machineoidc.bench.http1.Http11Post;
import dev.machineoidc.bench.http1.Http11Response;
import java.util.Optional;

/** A confidential client of the baseline realm: a {@code client_credentials} grant with its secret per token. */
record SecretClient(String tokenPath, String form, TlsClient tls) implements FleetMember {

    @Override
    public Http11Post tokenRequest() {
        return new Http11Post(tokenPath, Optional.empty(), "application/x-www-form-urlencoded", form);
    }

    @Override
    public boolean isToken(Http11Response answer) {
        return answer.status() == 200 && answer.body().contains("\"access_token\":\"");
    }
}
