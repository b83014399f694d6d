package dev.machineoidc.bridge.mint;

import java.util.Objects;
import java.util.Optional;

/**
 * What a workload asks for.
 *
 * @param audience the token's {@code aud}; empty lets Keycloak apply the org's issuer URL
 * @param awsPrincipalTags whether to add the AWS session-tags claim
 */
public record TokenRequest(Optional<String> audience, boolean awsPrincipalTags) {

    public static final TokenRequest DEFAULTS = new TokenRequest(Optional.empty(), false);

    public TokenRequest {
        Objects.requireNonNull(audience, "audience");
        audience.ifPresent(Audience::requireValid);
    }

    public static TokenRequest forAudience(String audience) {
        return new TokenRequest(Optional.of(audience), false);
    }
}
