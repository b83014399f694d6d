package dev.machineoidc.keycloak.signing;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.nio.charset.StandardCharsets;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.Signature;
import java.security.spec.ECGenParameterSpec;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.is;

/** Each case runs on the JDK and on AWS-LC: both must accept exactly the same signatures. */
class MachineSignaturesTest {

    private static final byte[] DATA = "header.payload".getBytes(StandardCharsets.US_ASCII);

    private static KeyPair keyPair(String algorithm) throws Exception {
        KeyPairGenerator generator = KeyPairGenerator.getInstance(algorithm);
        if (algorithm.equals("EC")) {
            generator.initialize(new ECGenParameterSpec("secp256r1"));
        } else {
            generator.initialize(2048);
        }
        return generator.generateKeyPair();
    }

    private static byte[] sign(String javaAlgorithm, KeyPair keys, byte[] data) throws Exception {
        Signature signature = Signature.getInstance(javaAlgorithm);
        signature.initSign(keys.getPrivate());
        signature.update(data);
        return signature.sign();
    }

    @ParameterizedTest(name = "native crypto {0}")
    @ValueSource(booleans = {false, true})
    void es256TakesJwsRawSignaturesOnly(boolean nativeCrypto) throws Exception {
        KeyPair keys = keyPair("EC");
        byte[] raw = sign("SHA256withECDSAinP1363Format", keys, DATA);

        assertThat(raw.length, is(64));
        assertThat(MachineSignatures.verify("ES256", keys.getPublic(), DATA, raw, nativeCrypto), is(true));
        assertThat("other data", MachineSignatures.verify("ES256", keys.getPublic(), "x".getBytes(StandardCharsets.US_ASCII), raw, nativeCrypto), is(false));
        assertThat("another key", MachineSignatures.verify("ES256", keyPair("EC").getPublic(), DATA, raw, nativeCrypto), is(false));
        assertThat("DER is not JWS", MachineSignatures.verify("ES256", keys.getPublic(), DATA, sign("SHA256withECDSA", keys, DATA), nativeCrypto), is(false));
        assertThat("garbage", MachineSignatures.verify("ES256", keys.getPublic(), DATA, new byte[3], nativeCrypto), is(false));
        assertThat("an RSA key", MachineSignatures.verify("ES256", keyPair("RSA").getPublic(), DATA, raw, nativeCrypto), is(false));
    }

    @ParameterizedTest(name = "native crypto {0}")
    @ValueSource(booleans = {false, true})
    void rs256(boolean nativeCrypto) throws Exception {
        KeyPair keys = keyPair("RSA");
        byte[] signature = sign("SHA256withRSA", keys, DATA);

        assertThat(MachineSignatures.verify("RS256", keys.getPublic(), DATA, signature, nativeCrypto), is(true));
        assertThat(MachineSignatures.verify("RS256", keyPair("RSA").getPublic(), DATA, signature, nativeCrypto), is(false));
        assertThat(MachineSignatures.verify("RS256", keyPair("EC").getPublic(), DATA, signature, nativeCrypto), is(false));
    }
}
