package dev.machineoidc.keycloak.signing;

import org.keycloak.crypto.Algorithm;
import org.keycloak.crypto.JavaAlgorithm;
import org.keycloak.crypto.SignatureException;
import org.keycloak.crypto.SignatureSignerContext;

import java.security.GeneralSecurityException;
import java.security.PrivateKey;
import java.security.Provider;
import java.security.Signature;

/**
 * RS256 with a given JCA provider and private key, where Keycloak's own signer always takes the JDK's default. The key
 * should already be in the provider's own form: ACCP converts any other key on every signature.
 */
final class Rs256Signer implements SignatureSignerContext {

    private final String kid;
    private final PrivateKey key;
    private final Provider provider;

    Rs256Signer(String kid, PrivateKey key, Provider provider) {
        this.kid = kid;
        this.key = key;
        this.provider = provider;
    }

    @Override
    public String getKid() {
        return kid;
    }

    @Override
    public String getAlgorithm() {
        return Algorithm.RS256;
    }

    @Override
    public String getHashAlgorithm() {
        return JavaAlgorithm.getJavaAlgorithmForHash(Algorithm.RS256);
    }

    @Override
    public byte[] sign(byte[] data) {
        try {
            Signature signature = Signature.getInstance(JavaAlgorithm.RS256, provider);
            signature.initSign(key);
            signature.update(data);
            return signature.sign();
        } catch (GeneralSecurityException e) {
            throw new SignatureException("RS256 signing with " + provider.getName() + " and key " + kid + " failed", e);
        }
    }
}
