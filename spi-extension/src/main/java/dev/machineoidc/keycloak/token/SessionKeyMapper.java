package dev.machineoidc.keycloak.token;

import dev.machineoidc.keycloak.machine.MachineRegistry;
import org.keycloak.OAuth2Constants;
import org.keycloak.jose.jws.JWSInput;
import org.keycloak.jose.jws.JWSInputException;
import org.keycloak.models.ClientSessionContext;
import org.keycloak.models.KeycloakSession;
import org.keycloak.models.ProtocolMapperModel;
import org.keycloak.models.UserSessionModel;
import org.keycloak.protocol.oidc.OIDCLoginProtocol;
import org.keycloak.protocol.oidc.mappers.AbstractOIDCProtocolMapper;
import org.keycloak.protocol.oidc.mappers.OIDCAccessTokenMapper;
import org.keycloak.protocol.oidc.mappers.OIDCAttributeMapperHelper;
import org.keycloak.provider.ProviderConfigProperty;
import org.keycloak.representations.IDToken;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Binds a machine's session token to the key it enrolled: the token carries the id of the key that signed the
 * session's client assertion when that is the machine's current key, and the mint endpoint refuses any other
 * session. Exact where a not-before time would be off by up to a second.
 */
public class SessionKeyMapper extends AbstractOIDCProtocolMapper implements OIDCAccessTokenMapper {

    public static final String PROVIDER_ID = "oidc-machine-session-key-mapper";
    public static final String CLAIM = "machine_key_id";

    @Override
    public String getId() {
        return PROVIDER_ID;
    }

    @Override
    public String getDisplayType() {
        return "Machine session key";
    }

    @Override
    public String getDisplayCategory() {
        return TOKEN_MAPPER_CATEGORY;
    }

    @Override
    public String getHelpText() {
        return "Part of Machine OIDC's machine-session scope: puts the id of the machine's enrolled key into its session "
                + "token so that re-enrolling ends sessions opened with the old key.";
    }

    @Override
    public List<ProviderConfigProperty> getConfigProperties() {
        return new ArrayList<>();
    }

    public static ProtocolMapperModel model() {
        ProtocolMapperModel model = new ProtocolMapperModel();
        model.setName("machine session key");
        model.setProtocol(OIDCLoginProtocol.LOGIN_PROTOCOL);
        model.setProtocolMapper(PROVIDER_ID);
        model.setConfig(Map.of(OIDCAttributeMapperHelper.INCLUDE_IN_ACCESS_TOKEN, "true"));
        return model;
    }

    /** Only a session opened with the machine's current key gets the claim, whatever a node's key cache holds. */
    @Override
    protected void setClaim(IDToken token, ProtocolMapperModel mappingModel, UserSessionModel userSession,
                            KeycloakSession session, ClientSessionContext clientSessionCtx) {
        String current = clientSessionCtx.getClientSession().getClient().getAttribute(MachineRegistry.KEY_ID);
        if (current != null && current.equals(assertionKeyId(session))) {
            token.getOtherClaims().put(CLAIM, current);
        }
    }

    private static String assertionKeyId(KeycloakSession session) {
        String assertion = session.getContext().getHttpRequest().getDecodedFormParameters()
                .getFirst(OAuth2Constants.CLIENT_ASSERTION);
        if (assertion == null) {
            return null;
        }
        try {
            return new JWSInput(assertion).getHeader().getKeyId();
        } catch (JWSInputException e) {
            return null;
        }
    }
}
