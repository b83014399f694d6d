package dev.machineoidc.keycloak.token;

import dev.machineoidc.keycloak.api.ApiError;
import dev.machineoidc.keycloak.machine.MachineRegistry;
import org.keycloak.TokenVerifier;
import org.keycloak.common.VerificationException;
import org.keycloak.crypto.SignatureProvider;
import org.keycloak.crypto.SignatureVerifierContext;
import org.keycloak.jose.jws.JWSHeader;
import org.keycloak.models.ClientModel;
import org.keycloak.models.KeycloakSession;
import org.keycloak.models.RealmModel;
import org.keycloak.representations.AccessToken;
import org.keycloak.services.Urls;
import org.keycloak.util.TokenUtil;

import java.util.List;
import java.util.Objects;

/**
 * Checks a machine's session token: Keycloak's realm signature, expiry, issuer, type, the mint audience, and that
 * the machine client still exists, is enabled and still has the key the session was opened with. This is all the mint path needs —
 * cheaper than Keycloak's generic bearer authenticator, with no asymmetric work but one RSA verification.
 */
public final class MachineSessionVerifier {

    private static final String BEARER = "Bearer ";

    private final KeycloakSession session;
    private final RealmModel realm;

    public MachineSessionVerifier(KeycloakSession session, RealmModel realm) {
        this.session = session;
        this.realm = realm;
    }

    /** @return the machine's client; 401 for a bad session (the bridge gets a new one), 403 for a revoked machine */
    public ClientModel verify(String authorization) {
        if (authorization == null || !authorization.regionMatches(true, 0, BEARER, 0, BEARER.length())) {
            throw invalid("A machine session bearer token is required.");
        }
        AccessToken token;
        try {
            TokenVerifier<AccessToken> verifier = TokenVerifier.create(authorization.substring(BEARER.length()).trim(), AccessToken.class)
                    .realmUrl(Urls.realmIssuer(session.getContext().getUri().getBaseUri(), realm.getName()))
                    .checkActive(true)
                    .checkTokenType(true)
                    .tokenType(List.of(TokenUtil.TOKEN_TYPE_BEARER))
                    .audience(MachineRegistry.SESSION_AUDIENCE);
            JWSHeader header = verifier.getHeader();
            SignatureProvider signatures = session.getProvider(SignatureProvider.class, header.getAlgorithm().name());
            if (signatures == null) {
                throw invalid("The session token's algorithm is not supported.");
            }
            SignatureVerifierContext signature = signatures.verifier(header.getKeyId());
            token = verifier.verifierContext(signature).verify().getToken();
        } catch (VerificationException e) {
            throw invalid("The machine session is invalid or expired.");
        }
        ClientModel client = realm.getClientByClientId(token.getIssuedFor());
        if (client == null || !MachineRegistry.isMachine(client) || !client.isEnabled()) {
            throw ApiError.forbidden("machine_revoked", "This machine has been revoked or disabled.");
        }
        if (!Objects.equals(token.getOtherClaims().get(SessionKeyMapper.CLAIM), client.getAttribute(MachineRegistry.KEY_ID))) {
            throw invalid("The machine session belongs to a key the machine no longer has.");
        }
        long issuedAt = token.getIat() == null ? 0 : token.getIat();
        if (issuedAt < client.getNotBefore() || issuedAt < realm.getNotBefore()) {
            throw invalid("The machine session was revoked by an admin.");
        }
        return client;
    }

    private static ApiError invalid(String message) {
        return ApiError.unauthorized("invalid_token", message);
    }
}
