package dev.machineoidc.keycloak.token;

import dev.machineoidc.keycloak.config.MachineOidcConfigProvider;
import dev.machineoidc.keycloak.machine.MachineRegistry;
import dev.machineoidc.keycloak.refusal.Refusal;
import dev.machineoidc.keycloak.signing.MachineSignatures;
import org.keycloak.common.util.Time;
import org.keycloak.crypto.KeyWrapper;
import org.keycloak.jose.jws.JWSInput;
import org.keycloak.jose.jws.JWSInputException;
import org.keycloak.keys.loader.PublicKeyStorageManager;
import org.keycloak.models.ClientModel;
import org.keycloak.models.KeycloakSession;
import org.keycloak.models.RealmModel;
import org.keycloak.representations.JsonWebToken;

import java.nio.charset.StandardCharsets;
import java.security.PublicKey;

/**
 * Authenticates a mint call by the machine's own short-lived assertion: one signature check against the machine's
 * public key from Keycloak's key cache, and the machine client read from the realm cache, so a revocation or a
 * re-enrollment counts at the very next mint on every node. No session, no token endpoint, nothing written.
 */
public final class MachineAssertionVerifier {

    private static final String BEARER = "Bearer ";
    /** An ES256 or RS256 assertion is under 1 KiB; the cap bounds the decoding work a caller can ask for. */
    private static final int MAX_ASSERTION_CHARS = 4096;

    private final KeycloakSession session;
    private final RealmModel realm;

    public MachineAssertionVerifier(KeycloakSession session, RealmModel realm) {
        this.session = session;
        this.realm = realm;
    }

    /** @return the machine's client; 401 for an assertion to renew or a key no longer the machine's, 403 for a revoked machine */
    public ClientModel verify(String authorization) {
        if (authorization == null || !authorization.regionMatches(true, 0, BEARER, 0, BEARER.length())) {
            throw MintAssertionRules.invalid("A mint assertion is required as the Bearer token.");
        }
        String assertion = authorization.substring(BEARER.length()).trim();
        if (assertion.length() > MAX_ASSERTION_CHARS) {
            throw MintAssertionRules.invalid("The mint assertion is too long.");
        }
        JWSInput jws;
        JsonWebToken claims;
        try {
            jws = new JWSInput(assertion);
            claims = jws.readJsonContent(JsonWebToken.class);
        } catch (JWSInputException | RuntimeException e) {
            throw MintAssertionRules.invalid("The mint assertion is not a well-formed JWS.");
        }
        MintAssertionRules.checkHeader(jws.getHeader());
        long now = Time.currentTime();
        String clientId = MintAssertionRules.checkClaims(claims, realm.getName(), now);
        ClientModel client = realm.getClientByClientId(clientId);
        if (client == null || !MachineRegistry.isMachine(client) || !client.isEnabled()) {
            throw Refusal.forbidden("machine_revoked", "This machine has been revoked or disabled.");
        }
        // Keycloak's key cache may still hold a replaced key on some node; the enrolled key's id is never stale.
        if (!jws.getHeader().getKeyId().equals(client.getAttribute(MachineRegistry.KEY_ID))) {
            throw MintAssertionRules.invalid("The mint assertion is signed by a key the machine no longer has.");
        }
        if (claims.getIat() < client.getNotBefore() || claims.getIat() < realm.getNotBefore()) {
            throw MintAssertionRules.invalid("The mint assertion predates the not-before time an admin set.");
        }
        if (!signedByMachine(jws, client)) {
            throw MintAssertionRules.invalid("The mint assertion's signature does not verify with the machine's key.");
        }
        return client;
    }

    private boolean signedByMachine(JWSInput jws, ClientModel client) {
        KeyWrapper key = PublicKeyStorageManager.getClientPublicKeyWrapper(session, client, jws);
        String algorithm = jws.getHeader().getAlgorithm().name();
        if (key == null || !(key.getPublicKey() instanceof PublicKey publicKey) || !algorithm.equals(key.getAlgorithmOrDefault())) {
            return false;
        }
        boolean nativeCrypto = session.getProvider(MachineOidcConfigProvider.class).config().nativeSigning();
        return MachineSignatures.verify(algorithm, publicKey,
                jws.getEncodedSignatureInput().getBytes(StandardCharsets.US_ASCII), jws.getSignature(), nativeCrypto);
    }
}
