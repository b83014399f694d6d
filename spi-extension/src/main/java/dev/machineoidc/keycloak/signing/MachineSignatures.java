package dev.machineoidc.keycloak.signing;

import java.security.GeneralSecurityException;
import java.security.PublicKey;
import java.security.Signature;

/**
 * Checks a signature made with a machine's key. ES256 is why AWS-LC matters here too: the JDK spends about 0.7 ms of
 * CPU on one ES256 verification, more than everything else a mint costs Keycloak, and AWS-LC about 0.04 ms.
 */
public final class MachineSignatures {

    private MachineSignatures() {
    }

    /**
     * @param algorithm ES256 (JWS's raw R||S signature) or RS256
     * @param nativeCrypto whether to use AWS-LC when its native library loaded (the {@code native-signing} option)
     * @return whether the signature is valid; false also for a malformed signature or a key of the wrong type
     */
    public static boolean verify(String algorithm, PublicKey key, byte[] data, byte[] signature, boolean nativeCrypto) {
        String javaAlgorithm = switch (algorithm) {
            case "ES256" -> "SHA256withECDSAinP1363Format";
            case "RS256" -> "SHA256withRSA";
            default -> throw new IllegalArgumentException("not a machine key algorithm: " + algorithm);
        };
        try {
            Signature verifier = nativeCrypto && NativeCrypto.provider().isPresent()
                    ? Signature.getInstance(javaAlgorithm, NativeCrypto.provider().get())
                    : Signature.getInstance(javaAlgorithm);
            verifier.initVerify(key);
            verifier.update(data);
            return verifier.verify(signature);
        } catch (GeneralSecurityException | IllegalArgumentException e) {
            return false;
        }
    }
}
