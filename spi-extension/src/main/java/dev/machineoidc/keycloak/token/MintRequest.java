package dev.machineoidc.keycloak.token;

import dev.machineoidc.keycloak.api.JsonBody;
import dev.machineoidc.keycloak.org.Audiences;
import dev.machineoidc.keycloak.refusal.Refusal;

import java.util.Optional;

/** What a machine may ask of its token: the audience and whether to add AWS session tags. Nothing else. */
public record MintRequest(Optional<String> audience, boolean awsPrincipalTags) {

    /** @throws Refusal 400 {@code invalid_request} for a field of the wrong type, {@code invalid_audience} for a bad 'aud' */
    public static MintRequest of(JsonBody body) {
        Optional<String> audience = body.optionalString("aud");
        audience.filter(a -> !Audiences.isValid(a)).ifPresent(a -> {
            throw Refusal.invalid("invalid_audience", "'aud' must be 1-256 printable ASCII characters.");
        });
        return new MintRequest(audience, body.optionalBoolean("aws_principal_tags").orElse(false));
    }
}
