package dev.machineoidc.bridge.identity;

import com.nimbusds.jose.jwk.JWK;

/** Registers the machine's public key with Keycloak, consuming a one-time enrollment token. */
public interface Registrar {

    /**
     * @param publicKey public parts only; the private key never leaves the machine
     */
    Registration register(String enrollmentToken, JWK publicKey) throws EnrollmentException;
}
