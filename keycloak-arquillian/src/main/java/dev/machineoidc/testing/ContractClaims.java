package dev.machineoidc.testing;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.nimbusds.jwt.SignedJWT;

import java.io.IOException;
import java.text.ParseException;
import java.util.Set;

/** The contract's "The token" section: the claim set every machine token carries, and its payload as sent. */
public final class ContractClaims {

    /** Exactly these claims, and no other unless asked for. */
    public static final Set<String> NAMES = Set.of("iss", "sub", "aud", "iat", "nbf", "exp", "jti", "org_id", "org_name",
            "app_id", "app_name", "machine_id", "machine_name", "machine_version", "image", "image_digest", "region");

    private static final ObjectMapper JSON = new ObjectMapper();

    private ContractClaims() {
    }

    /** The payload exactly as sent, JSON types kept (a string {@code aud} stays a string). */
    public static JsonNode payload(String jwt) {
        try {
            return JSON.readTree(SignedJWT.parse(jwt).getPayload().toString());
        } catch (ParseException | IOException e) {
            throw new AssertionError("not a JWT: " + jwt, e);
        }
    }
}
