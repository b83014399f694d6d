package dev.machineoidc.keycloak.claims;

import dev.machineoidc.keycloak.machine.MachineRegistry;
import org.keycloak.models.ClientModel;
import org.keycloak.models.ClientSessionContext;
import org.keycloak.models.KeycloakSession;
import org.keycloak.models.ProtocolMapperContainerModel;
import org.keycloak.models.ProtocolMapperModel;
import org.keycloak.models.RealmModel;
import org.keycloak.models.UserSessionModel;
import org.keycloak.protocol.ProtocolMapperConfigException;
import org.keycloak.protocol.oidc.mappers.AbstractOIDCProtocolMapper;
import org.keycloak.protocol.oidc.mappers.OIDCAccessTokenMapper;
import org.keycloak.protocol.oidc.mappers.OIDCAttributeMapperHelper;
import org.keycloak.protocol.oidc.mappers.OIDCIDTokenMapper;
import org.keycloak.protocol.oidc.mappers.TokenIntrospectionTokenMapper;
import org.keycloak.provider.ProviderConfigProperty;
import org.keycloak.provider.ProviderConfigurationBuilder;
import org.keycloak.representations.IDToken;

import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The Machine-claims protocol mapper. Each org realm has one instance in its {@code machine-claims} client scope;
 * its configuration decides what every machine token of the org carries. It also works as an ordinary mapper
 * on Keycloak's own token flows when a machine client is the one asking.
 */
public class MachineClaimsMapper extends AbstractOIDCProtocolMapper
        implements OIDCAccessTokenMapper, OIDCIDTokenMapper, TokenIntrospectionTokenMapper {

    public static final String PROVIDER_ID = "oidc-machine-claims-mapper";
    /** The client scope of an org realm that holds the mapper instance the mint endpoint uses. */
    public static final String CLAIMS_SCOPE = "machine-claims";
    /** Realm attribute naming the claims scope's id: one cache lookup per mint instead of a pass over every scope. */
    public static final String CLAIMS_SCOPE_ID = "machine-oidc.claims-scope-id";
    public static final String MAPPER_NAME = "machine claims";

    private static final List<ProviderConfigProperty> CONFIG = buildConfig();

    private static List<ProviderConfigProperty> buildConfig() {
        List<ProviderConfigProperty> properties = ProviderConfigurationBuilder.create()
                .property().name(ClaimsConfig.CLAIMS).label("Machine claims")
                .helpText("Which Machine claims the token carries (sub is always present). Default: all of them.")
                .type(ProviderConfigProperty.MULTIVALUED_LIST_TYPE)
                .options(MachineClaim.names())
                .defaultValue(String.join(ClaimsConfig.DELIMITER, MachineClaim.names()))
                .add()
                .property().name(ClaimsConfig.AWS_TAGS).label("AWS principal tags")
                .helpText("When to add the https://aws.amazon.com/tags claim for AWS STS session tags: on-request "
                        + "(when the machine asks with aws_principal_tags=true), always, or never.")
                .type(ProviderConfigProperty.LIST_TYPE)
                .options(AwsTagsMode.configValues())
                .defaultValue(AwsTagsMode.ON_REQUEST.configValue())
                .add()
                .build();
        OIDCAttributeMapperHelper.addIncludeInTokensConfig(properties, MachineClaimsMapper.class);
        return List.copyOf(properties);
    }

    public static ProtocolMapperModel defaultModel() {
        ProtocolMapperModel model = new ProtocolMapperModel();
        model.setName(MAPPER_NAME);
        model.setProtocolMapper(PROVIDER_ID);
        model.setProtocol("openid-connect");
        Map<String, String> config = new HashMap<>(ClaimsConfig.DEFAULTS.toConfig());
        config.put(OIDCAttributeMapperHelper.INCLUDE_IN_ACCESS_TOKEN, "true");
        config.put(OIDCAttributeMapperHelper.INCLUDE_IN_ID_TOKEN, "true");
        config.put(OIDCAttributeMapperHelper.INCLUDE_IN_INTROSPECTION, "true");
        model.setConfig(config);
        return model;
    }

    @Override
    public String getId() {
        return PROVIDER_ID;
    }

    @Override
    public String getDisplayType() {
        return "Machine claims";
    }

    @Override
    public String getDisplayCategory() {
        return TOKEN_MAPPER_CATEGORY;
    }

    @Override
    public String getHelpText() {
        return "Adds the Machine claims (org, app, machine, version, image, region) of a Machine OIDC machine client, "
                + "as in Fly.io's machine tokens, and AWS principal tags when configured.";
    }

    @Override
    public List<ProviderConfigProperty> getConfigProperties() {
        return CONFIG;
    }

    @Override
    public void validateConfig(KeycloakSession session, RealmModel realm, ProtocolMapperContainerModel container,
                               ProtocolMapperModel mapperModel) throws ProtocolMapperConfigException {
        try {
            ClaimsConfig.parse(mapperModel.getConfig());
        } catch (IllegalArgumentException e) {
            // Keycloak localises by message key and falls back to the message itself for an unknown key.
            throw new ProtocolMapperConfigException(e.getMessage(), "machineClaimsConfigInvalid");
        }
    }

    @Override
    protected void setClaim(IDToken token, ProtocolMapperModel mappingModel, UserSessionModel userSession,
                            KeycloakSession session, ClientSessionContext clientSessionCtx) {
        ClientModel client = clientSessionCtx.getClientSession().getClient();
        if (!MachineRegistry.isMachine(client)) {
            return;
        }
        // Keycloak owns sub in its own tokens (the service account); the Machine subject is only in minted ones.
        RealmModel org = client.getRealm();
        token.getOtherClaims().putAll(MachineClaims.compute(org.getId(), org.getName(), MachineRegistry.toMachine(client),
                ClaimsConfig.parse(mappingModel.getConfig()), false));
    }
}
