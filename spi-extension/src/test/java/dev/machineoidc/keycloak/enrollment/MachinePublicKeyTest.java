package dev.machineoidc.keycloak.enrollment;

import dev.machineoidc.keycloak.refusal.Refusal;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.nimbusds.jose.jwk.Curve;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jose.jwk.gen.ECKeyGenerator;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.keycloak.common.crypto.CryptoIntegration;
import org.keycloak.common.crypto.CryptoProvider;

import java.lang.reflect.Proxy;
import java.security.AlgorithmParameters;
import java.security.KeyFactory;
import java.security.KeyPairGenerator;
import java.security.interfaces.RSAPublicKey;
import java.security.spec.ECGenParameterSpec;
import java.security.spec.ECParameterSpec;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.is;
import static org.hamcrest.Matchers.not;
import static org.junit.jupiter.api.Assertions.assertThrows;

class MachinePublicKeyTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static ECKey ec;
    private static RSAKey rsa2048;

    /**
     * Keycloak's JWK parser asks its crypto provider for EC curve parameters; the server installs one, a unit test
     * installs this JDK-backed stand-in with only the two methods the parser uses.
     */
    @BeforeAll
    static void setUp() throws Exception {
        if (!CryptoIntegration.isInitialised()) {
            CryptoIntegration.setProvider((CryptoProvider) Proxy.newProxyInstance(CryptoProvider.class.getClassLoader(),
                    new Class<?>[] {CryptoProvider.class}, (proxy, method, args) -> {
                        switch (method.getName()) {
                            case "createECParams": {
                                AlgorithmParameters parameters = AlgorithmParameters.getInstance("EC");
                                parameters.init(new ECGenParameterSpec((String) args[0]));
                                return parameters.getParameterSpec(ECParameterSpec.class);
                            }
                            case "getKeyFactory":
                                return KeyFactory.getInstance("ECDSA".equals(args[0]) ? "EC" : (String) args[0]);
                            case "order":
                                return 0;
                            case "toString":
                                return "JDK test crypto provider";
                            default:
                                throw new UnsupportedOperationException(method.toString());
                        }
                    }));
        }
        ec = new ECKeyGenerator(Curve.P_256).keyID("k1").generate();
        rsa2048 = rsa(2048, "r1");
    }

    private static RSAKey rsa(int bits, String kid) throws Exception {
        KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
        generator.initialize(bits);
        var pair = generator.generateKeyPair();
        return new RSAKey.Builder((RSAPublicKey) pair.getPublic()).privateKey(pair.getPrivate()).keyID(kid).build();
    }

    private static ObjectNode node(String json) throws Exception {
        return (ObjectNode) JSON.readTree(json);
    }

    private static Refusal invalidKey(Executable call) {
        Refusal error = assertThrows(Refusal.class, call);
        assertThat(error.kind().status(), is(400));
        assertThat(error.code(), is("invalid_key"));
        return error;
    }

    private static JsonNode onlyKey(MachinePublicKey key) throws Exception {
        JsonNode jwks = JSON.readTree(key.jwksJson());
        assertThat(jwks.size(), is(1));
        assertThat(jwks.get("keys").size(), is(1));
        return jwks.get("keys").get(0);
    }

    private static Set<String> fieldNames(JsonNode node) {
        Set<String> names = new TreeSet<>();
        node.fieldNames().forEachRemaining(names::add);
        return names;
    }

    @Test
    void ecP256PublicJwkIsAccepted() throws Exception {
        MachinePublicKey key = MachinePublicKey.parse(node(ec.toPublicJWK().toJSONString()));
        assertThat(key.kid(), is("k1"));
        assertThat(key.algorithm(), is("ES256"));
        JsonNode jwk = onlyKey(key);
        assertThat(fieldNames(jwk), is(Set.of("kty", "crv", "x", "y", "kid", "alg", "use")));
        assertThat(jwk.get("kty").asText(), is("EC"));
        assertThat(jwk.get("crv").asText(), is("P-256"));
        assertThat(jwk.get("x").asText(), is(ec.getX().toString()));
        assertThat(jwk.get("y").asText(), is(ec.getY().toString()));
        assertThat(jwk.get("kid").asText(), is("k1"));
        assertThat(jwk.get("alg").asText(), is("ES256"));
        assertThat(jwk.get("use").asText(), is("sig"));
        // what is stored is still a valid public key for the same point
        assertThat(ECKey.parse(jwk.toString()).toECPublicKey(), is(ec.toECPublicKey()));
    }

    @Test
    void rsa2048PublicJwkIsAccepted() throws Exception {
        MachinePublicKey key = MachinePublicKey.parse(node(rsa2048.toPublicJWK().toJSONString()));
        assertThat(key.kid(), is("r1"));
        assertThat(key.algorithm(), is("RS256"));
        JsonNode jwk = onlyKey(key);
        assertThat(fieldNames(jwk), is(Set.of("kty", "n", "e", "kid", "alg", "use")));
        assertThat(jwk.get("n").asText(), is(rsa2048.getModulus().toString()));
        assertThat(jwk.get("e").asText(), is(rsa2048.getPublicExponent().toString()));
        assertThat(jwk.get("alg").asText(), is("RS256"));
        assertThat(jwk.get("use").asText(), is("sig"));
        assertThat(RSAKey.parse(jwk.toString()).toRSAPublicKey(), is(rsa2048.toRSAPublicKey()));
    }

    @ParameterizedTest
    @ValueSource(ints = {1024, 2047})
    void rsaUnder2048BitsIsRefused(int bits) throws Exception {
        RSAKey weak = rsa(bits, "weak");
        assertThat(weak.toRSAPublicKey().getModulus().bitLength(), is(bits));
        invalidKey(() -> MachinePublicKey.parse(node(weak.toPublicJWK().toJSONString())));
    }

    @Test
    void ecP384IsRefused() throws Exception {
        ECKey p384 = new ECKeyGenerator(Curve.P_384).keyID("k384").generate();
        invalidKey(() -> MachinePublicKey.parse(node(p384.toPublicJWK().toJSONString())));
    }

    @Test
    void privateEcJwkIsRefused() throws Exception {
        Refusal error = invalidKey(() -> MachinePublicKey.parse(node(ec.toJSONString())));
        assertThat(error.getMessage(), containsString("'d'"));
        assertThat(error.getMessage(), not(containsString(ec.getD().toString())));
    }

    @Test
    void privateRsaJwkIsRefused() throws Exception {
        invalidKey(() -> MachinePublicKey.parse(node(rsa2048.toJSONString())));
    }

    @ParameterizedTest
    @ValueSource(strings = {"d", "p", "q", "dp", "dq", "qi", "oth", "k"})
    void anyPrivateParameterIsRefused(String parameter) throws Exception {
        ObjectNode jwk = node(rsa2048.toPublicJWK().toJSONString());
        jwk.put(parameter, "AQAB");
        Refusal error = invalidKey(() -> MachinePublicKey.parse(jwk));
        assertThat(error.getMessage(), containsString("'" + parameter + "'"));
    }

    @Test
    void symmetricKeyIsRefused() throws Exception {
        invalidKey(() -> MachinePublicKey.parse(node("{\"kty\":\"oct\",\"kid\":\"s\",\"k\":\"c2VjcmV0\"}")));
    }

    @Test
    void missingKidIsRefused() throws Exception {
        ObjectNode jwk = node(ec.toPublicJWK().toJSONString());
        jwk.remove("kid");
        Refusal error = invalidKey(() -> MachinePublicKey.parse(jwk));
        assertThat(error.getMessage(), containsString("kid"));
    }

    @Test
    void badKidsAreRefused() throws Exception {
        List<JsonNode> kids = new ArrayList<>();
        kids.add(JSON.getNodeFactory().textNode(""));
        kids.add(JSON.getNodeFactory().textNode("   "));
        kids.add(JSON.getNodeFactory().textNode("k".repeat(129)));
        kids.add(JSON.getNodeFactory().numberNode(1));
        kids.add(JSON.getNodeFactory().nullNode());
        for (JsonNode kid : kids) {
            ObjectNode jwk = node(ec.toPublicJWK().toJSONString());
            jwk.set("kid", kid);
            invalidKey(() -> MachinePublicKey.parse(jwk));
        }
    }

    @Test
    void kidOf128CharactersIsAccepted() throws Exception {
        ObjectNode jwk = node(ec.toPublicJWK().toJSONString());
        jwk.put("kid", "k".repeat(128));
        assertThat(MachinePublicKey.parse(jwk).kid(), is("k".repeat(128)));
    }

    @Test
    void extraPublicMembersAreDroppedAndAlgUseAreOurs() throws Exception {
        ObjectNode jwk = node(ec.toPublicJWK().toJSONString());
        jwk.put("alg", "ES384");
        jwk.put("use", "enc");
        jwk.putArray("key_ops").add("encrypt");
        jwk.put("x5t", "bm90LWNoZWNrZWQ");
        jwk.put("note", "hello");
        JsonNode stored = onlyKey(MachinePublicKey.parse(jwk));
        assertThat(fieldNames(stored), is(Set.of("kty", "crv", "x", "y", "kid", "alg", "use")));
        assertThat(stored.get("alg").asText(), is("ES256"));
        assertThat(stored.get("use").asText(), is("sig"));
    }

    @ParameterizedTest
    @ValueSource(strings = {
            "{\"kid\":\"a\"}",
            "{\"kid\":\"a\",\"kty\":\"EC\",\"crv\":\"P-256\"}",
            "{\"kid\":\"a\",\"kty\":\"EC\",\"crv\":\"P-256\",\"x\":\"AAAA\"}",
            "{\"kid\":\"a\",\"kty\":\"EC\",\"crv\":\"P-999\",\"x\":\"AAAA\",\"y\":\"AAAA\"}",
            "{\"kid\":\"a\",\"kty\":\"RSA\"}",
            "{\"kid\":\"a\",\"kty\":\"RSA\",\"n\":\"!!!not-base64!!!\",\"e\":\"AQAB\"}",
            "{\"kid\":\"a\",\"kty\":\"OKP\",\"crv\":\"Ed25519\",\"x\":\"11qYAYKxCrfVS_7TyWQHOg7hcvPapiMlrwIaaPcHURo\"}",
            "{\"kid\":\"a\",\"kty\":\"XYZ\"}"})
    void notAUsablePublicKeyIsRefused(String json) throws Exception {
        invalidKey(() -> MachinePublicKey.parse(node(json)));
    }

    /** A JWK without the RSA exponent is not a public key; storing it would leave {"e":null} in the client's JWKS. */
    @Test
    void rsaWithoutExponentIsRefused() throws Exception {
        ObjectNode jwk = node(rsa2048.toPublicJWK().toJSONString());
        jwk.remove("e");
        invalidKey(() -> MachinePublicKey.parse(jwk));
    }

    /** Likewise an RSA key without its modulus. */
    @Test
    void rsaWithoutModulusIsRefused() throws Exception {
        ObjectNode jwk = node(rsa2048.toPublicJWK().toJSONString());
        jwk.remove("n");
        invalidKey(() -> MachinePublicKey.parse(jwk));
    }
}
