package dev.machineoidc.keycloak.signing;

import dev.machineoidc.keycloak.config.MachineOidcConfig;
import dev.machineoidc.keycloak.config.MachineOidcConfigProvider;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.keycloak.component.ComponentModel;
import org.keycloak.crypto.Algorithm;
import org.keycloak.crypto.AsymmetricSignatureSignerContext;
import org.keycloak.crypto.KeyStatus;
import org.keycloak.crypto.KeyType;
import org.keycloak.crypto.KeyUse;
import org.keycloak.crypto.KeyWrapper;
import org.keycloak.crypto.SignatureProvider;
import org.keycloak.crypto.SignatureSignerContext;
import org.keycloak.models.KeyManager;
import org.keycloak.models.KeycloakSession;
import org.keycloak.models.RealmModel;

import java.lang.reflect.Proxy;
import java.nio.charset.StandardCharsets;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.Signature;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import java.util.stream.Stream;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.instanceOf;
import static org.hamcrest.Matchers.is;
import static org.hamcrest.Matchers.sameInstance;
import static org.hamcrest.Matchers.startsWith;

class MintSignerTest {

    private static final String KID = "kid-1";
    private static final String NOTE = MintSigner.NATIVE_KEY_NOTE + KID;
    private static final byte[] DATA = "header.payload".getBytes(StandardCharsets.US_ASCII);

    private static KeyPair rsa;

    /** The realm's key provider, as Keycloak's realm cache holds it. */
    private ComponentModel component;
    private KeyWrapper key;

    @BeforeAll
    static void generateKey() throws Exception {
        KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
        generator.initialize(2048);
        rsa = generator.generateKeyPair();
    }

    @BeforeEach
    void setUp() {
        component = new ComponentModel();
        component.setId("rsa-generated-1");
        component.setName("rsa-generated");
        key = new KeyWrapper();
        key.setProviderId(component.getId());
        key.setKid(KID);
        key.setAlgorithm(Algorithm.RS256);
        key.setType(KeyType.RSA);
        key.setUse(KeyUse.SIG);
        key.setStatus(KeyStatus.ACTIVE);
        key.setPrivateKey(rsa.getPrivate());
        key.setPublicKey(rsa.getPublic());
    }

    @Test
    @OnAccpPlatform
    void withNativeSigningTheRealmKeySignsThroughAwsLc() throws Exception {
        SignatureSignerContext signer = MintSigner.forRealm(session(true), realm(component));

        assertThat(signer, instanceOf(Rs256Signer.class));
        assertThat(signer.getKid(), is(KID));
        assertThat(component.getNote(NOTE).getClass().getName(), startsWith("com.amazon.corretto."));
        assertThat(verifies(signer.sign(DATA)), is(true));
    }

    @Test
    @OnAccpPlatform
    void theTranslatedKeyIsTranslatedOnceAndKeptOnTheComponent() {
        RealmModel realm = realm(component);
        MintSigner.forRealm(session(true), realm);
        Object translated = component.getNote(NOTE);

        MintSigner.forRealm(session(true), realm);

        assertThat(component.getNote(NOTE), sameInstance(translated));
    }

    @Test
    void withNativeSigningOffKeycloaksOwnSignerSigns() throws Exception {
        SignatureSignerContext signer = MintSigner.forRealm(session(false), realm(component));

        assertThat(signer, instanceOf(AsymmetricSignatureSignerContext.class));
        assertThat(signer.getKid(), is(KID));
        assertThat(component.hasNote(NOTE), is(false));
        assertThat(verifies(signer.sign(DATA)), is(true));
    }

    @Test
    void aKeyThatNoComponentProvidesStaysWithKeycloaksSigner() {
        SignatureSignerContext signer = MintSigner.forRealm(session(true), realm(null));

        assertThat(signer, instanceOf(AsymmetricSignatureSignerContext.class));
    }

    private static boolean verifies(byte[] signature) throws Exception {
        Signature jdk = Signature.getInstance("SHA256withRSA");
        jdk.initVerify(rsa.getPublic());
        jdk.update(DATA);
        return jdk.verify(signature);
    }

    /** A realm whose key provider (if any) has already had its keys read and kept. */
    private RealmModel realm(ComponentModel keyProvider) {
        if (keyProvider != null) {
            keyProvider.setNote(ActiveRs256Key.KEYS_NOTE, List.of(key));
        }
        return fake(RealmModel.class, Map.of(
                "getId", args -> "realm-1",
                "getComponentsStream", args -> keyProvider == null ? Stream.empty() : Stream.of(keyProvider),
                "getComponent", args -> key.getProviderId().equals(args[0]) ? keyProvider : null));
    }

    /** The session's active RS256 key, the native-signing option, and Keycloak's RS256 signature provider. */
    private KeycloakSession session(boolean nativeSigning) {
        KeyManager keys = fake(KeyManager.class, Map.of("getActiveKey",
                args -> args[1] == KeyUse.SIG && Algorithm.RS256.equals(args[2]) ? key : null));
        MachineOidcConfigProvider config = () -> new MachineOidcConfig(Optional.empty(), 600, nativeSigning, false);
        SignatureProvider keycloakRs256 = fake(SignatureProvider.class, Map.of("signer",
                args -> new AsymmetricSignatureSignerContext((KeyWrapper) args[0])));
        return fake(KeycloakSession.class, Map.of(
                "keys", args -> keys,
                "getProvider", args -> args[0] == MachineOidcConfigProvider.class ? config
                        : args[0] == SignatureProvider.class && Algorithm.RS256.equals(args[1]) ? keycloakRs256 : null));
    }

    /** Answers the named methods; any other throws, so a test notices when the code starts to need more. */
    static <T> T fake(Class<T> type, Map<String, Function<Object[], Object>> answers) {
        return type.cast(Proxy.newProxyInstance(type.getClassLoader(), new Class<?>[] {type}, (proxy, method, args) -> {
            Function<Object[], Object> answer = answers.get(method.getName());
            if (answer == null) {
                throw new UnsupportedOperationException(method.toString());
            }
            return answer.apply(args == null ? new Object[0] : args);
        }));
    }
}
