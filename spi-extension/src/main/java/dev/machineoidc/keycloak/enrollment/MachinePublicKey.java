package dev.machineoidc.keycloak.enrollment;

import dev.machineoidc.keycloak.refusal.Refusal;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.keycloak.crypto.Algorithm;
import org.keycloak.jose.jwk.JWK;
import org.keycloak.jose.jwk.JWKParser;

import java.security.PublicKey;
import java.security.interfaces.ECPublicKey;
import java.security.interfaces.RSAPublicKey;
import java.util.List;

/**
 * A machine's public key as the bridge sends it at enrollment: an EC P-256 or RSA (2048+ bits) public JWK.
 * Anything carrying private parameters is refused, so Keycloak never holds a secret that could act as the machine.
 */
public record MachinePublicKey(String kid, String algorithm, String jwksJson) {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final List<String> PRIVATE_PARAMETERS = List.of("d", "p", "q", "dp", "dq", "qi", "oth", "k");
    private static final List<String> PUBLIC_EC = List.of("kty", "crv", "x", "y", "kid");
    private static final List<String> PUBLIC_RSA = List.of("kty", "n", "e", "kid");

    public static MachinePublicKey parse(JsonNode jwk) {
        for (String parameter : PRIVATE_PARAMETERS) {
            if (jwk.has(parameter)) {
                throw Refusal.invalid("invalid_key", "The JWK contains private key material ('" + parameter
                        + "'); send only the public key.");
            }
        }
        String kid = text(jwk, "kid");
        if (kid == null || kid.isBlank() || kid.length() > 128) {
            throw Refusal.invalid("invalid_key", "The JWK needs a 'kid' of 1-128 characters.");
        }
        String kty = text(jwk, "kty");
        PublicKey key;
        try {
            key = JWKParser.create(JSON.convertValue(jwk, JWK.class)).toPublicKey();
        } catch (RuntimeException e) {
            throw Refusal.invalid("invalid_key", "The JWK is not a valid public key.");
        }
        String algorithm;
        List<String> fields;
        if ("EC".equals(kty) && "P-256".equals(text(jwk, "crv")) && key instanceof ECPublicKey) {
            algorithm = Algorithm.ES256;
            fields = PUBLIC_EC;
        } else if ("RSA".equals(kty) && key instanceof RSAPublicKey rsa && rsa.getModulus().bitLength() >= 2048) {
            algorithm = Algorithm.RS256;
            fields = PUBLIC_RSA;
        } else {
            throw Refusal.invalid("invalid_key", "The key must be EC P-256 or RSA with at least 2048 bits.");
        }
        ObjectNode clean = JSON.createObjectNode();
        fields.forEach(f -> clean.set(f, jwk.get(f)));
        clean.put("alg", algorithm);
        clean.put("use", "sig");
        ObjectNode jwks = JSON.createObjectNode();
        ArrayNode keys = jwks.putArray("keys");
        keys.add(clean);
        return new MachinePublicKey(kid, algorithm, jwks.toString());
    }

    private static String text(JsonNode node, String field) {
        JsonNode value = node.get(field);
        return value != null && value.isTextual() ? value.textValue() : null;
    }
}
