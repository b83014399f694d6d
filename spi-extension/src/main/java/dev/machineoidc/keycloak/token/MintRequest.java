package dev.machineoidc.keycloak.token;

import dev.machineoidc.keycloak.api.ApiError;
import dev.machineoidc.keycloak.api.JsonBody;
import dev.machineoidc.keycloak.org.Audiences;

import java.util.Optional;

/** What a machine may ask of its token: the audience and whether to add AWS session tags. Nothing else. */
public record MintRequest(Optional<String> audience, boolean awsPrincipalTags) {

    public static MintRequest parse(String raw) {
        JsonBody body = JsonBody.parse(raw);
        Optional<String> audience = body.optionalString("aud");
        audience.filter(a -> !Audiences.isValid(a)).ifPresent(a -> {
            throw ApiError.badRequest("invalid_audience", "'aud' must be 1-256 printable ASCII characters.");
        });
        return new MintRequest(audience, body.optionalBoolean("aws_principal_tags").orElse(false));
    }
}
