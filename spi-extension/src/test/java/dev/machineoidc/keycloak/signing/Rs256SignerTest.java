package dev.machineoidc.keycloak.signing;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.keycloak.crypto.SignatureException;

import java.nio.charset.StandardCharsets;
import java.security.KeyFactory;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PrivateKey;
import java.security.Provider;
import java.security.Signature;
import java.util.Optional;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.is;
import static org.junit.jupiter.api.Assertions.assertThrows;

@OnAccpPlatform
class Rs256SignerTest {

    private static final byte[] DATA = "header.payload".getBytes(StandardCharsets.US_ASCII);

    private static KeyPair rsa;
    private static Provider accp;

    @BeforeAll
    static void setUp() throws Exception {
        KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
        generator.initialize(2048);
        rsa = generator.generateKeyPair();
        accp = NativeCrypto.provider().orElseThrow();
    }

    /** The bundled native library must load here, or mints quietly lose their speed. */
    @Test
    void accpLoadsOnThisPlatform() {
        assertThat(NativeCrypto.unavailableReason(), is(Optional.empty()));
    }

    @Test
    void awsLcSignaturesVerifyWithTheJdk() throws Exception {
        PrivateKey nativeKey = (PrivateKey) KeyFactory.getInstance("RSA", accp).translateKey(rsa.getPrivate());
        byte[] signature = new Rs256Signer("kid-1", nativeKey, accp).sign(DATA);

        Signature jdk = Signature.getInstance("SHA256withRSA");
        jdk.initVerify(rsa.getPublic());
        jdk.update(DATA);
        assertThat(jdk.verify(signature), is(true));
    }

    @Test
    void describesItselfAsKeycloaksRs256SignerDoes() {
        Rs256Signer signer = new Rs256Signer("kid-1", rsa.getPrivate(), accp);
        assertThat(signer.getKid(), is("kid-1"));
        assertThat(signer.getAlgorithm(), is("RS256"));
        assertThat(signer.getHashAlgorithm(), is("SHA-256"));
    }

    @Test
    void failuresAreKeycloakSignatureExceptionsNamingTheKey() throws Exception {
        PrivateKey ec = KeyPairGenerator.getInstance("EC").generateKeyPair().getPrivate();
        SignatureException e = assertThrows(SignatureException.class, () -> new Rs256Signer("kid-ec", ec, accp).sign(DATA));
        assertThat(e.getMessage(), containsString("kid-ec"));
    }
}
