package dev.machineoidc.keycloak.token;

import dev.machineoidc.keycloak.machine.MachineRegistry;
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
 * Binds a machine's session token to the key it enrolled: the token carries that key's id, and the mint endpoint
 * refuses a session whose key has since been replaced. Exact where a not-before time would be off by up to a second.
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

    @Override
    protected void setClaim(IDToken token, ProtocolMapperModel mappingModel, UserSessionModel userSession,
                            KeycloakSession session, ClientSessionContext clientSessionCtx) {
        String keyId = clientSessionCtx.getClientSession().getClient().getAttribute(MachineRegistry.KEY_ID);
        if (keyId != null) {
            token.getOtherClaims().put(CLAIM, keyId);
        }
    }
}
