package dev.machineoidc.keycloak.enrollment;

import dev.machineoidc.keycloak.api.JsonBody;
import dev.machineoidc.keycloak.machine.MachineRegistry;
import dev.machineoidc.keycloak.refusal.Refusal;
import org.keycloak.models.ClientModel;

/** Binds a machine client to the public key its bridge generated, in exchange for a one-time enrollment token. */
public final class MachineEnrollment {

    private final MachineRegistry registry;
    private final EnrollmentTokens tokens;
    public MachineEnrollment(MachineRegistry registry, EnrollmentTokens tokens) {
        this.registry = registry;
        this.tokens = tokens;
    }

    public ClientModel enroll(JsonBody body) {
        String machineId = body.requiredString("machine_id");
        String token = body.requiredString("enrollment_token");
        MachinePublicKey key = MachinePublicKey.parse(body.optionalObject("jwk")
                .orElseThrow(() -> Refusal.invalid("invalid_request", "'jwk' is required.")));
        // Unknown machine and bad token answer alike: the endpoint is public and must not reveal which ids exist.
        ClientModel client = registry.machineClient(machineId)
                .filter(c -> tokens.consume(c, token))
                .orElseThrow(() -> Refusal.unauthenticated("invalid_enrollment_token",
                        "The enrollment token is unknown, used, expired or for another machine."));
        client.setAttribute(MachineRegistry.JWKS, key.jwksJson());
        client.setAttribute("token.endpoint.auth.signing.alg", key.algorithm());
        // Mint assertions must name this key from now on: one signed with an earlier key is refused on every node.
        client.setAttribute(MachineRegistry.KEY_ID, key.kid());
        // Announces the change, so every node drops the client's cached public keys.
        client.updateClient();
        return client;
    }
}
