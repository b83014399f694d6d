package dev.machineoidc.keycloak.admin;

import dev.machineoidc.keycloak.api.ApiError;
import dev.machineoidc.keycloak.api.JsonBody;
import dev.machineoidc.keycloak.keys.OrgKeys;
import dev.machineoidc.keycloak.keys.RotationKey;
import dev.machineoidc.keycloak.keys.RotationRules;
import dev.machineoidc.keycloak.org.SettingsComponent;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import org.keycloak.events.admin.OperationType;
import org.keycloak.events.admin.ResourceType;
import org.keycloak.models.KeycloakSession;
import org.keycloak.models.RealmModel;
import org.keycloak.services.resources.admin.AdminEventBuilder;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/**
 * {@code .../machine-oidc/keys}: an org's signing keys and the three rotation phases. Keys are realm configuration, so
 * the realm permissions govern them, as for Keycloak's own Keys tab. The phases take no fields; a body, if any, must be
 * a JSON object (see {@link MachinesResource#enrollment} for why it is a parameter). JSON only, see
 * {@link MachineOidcAdminResource}. Each phase saves the org's settings component, so the console's Machine identity
 * tab lists the keys as they are now.
 */
@Consumes(MediaType.APPLICATION_JSON)
public class KeysResource {

    private final RealmModel realm;
    private final AdminChecks checks;
    private final AdminEventBuilder adminEvent;
    private final OrgKeys keys;

    KeysResource(KeycloakSession session, RealmModel realm, AdminChecks checks, AdminEventBuilder adminEvent) {
        this.realm = realm;
        this.checks = checks;
        this.adminEvent = adminEvent;
        this.keys = new OrgKeys(session, realm, RotationRules.of(realm));
    }

    @GET
    @Produces(MediaType.APPLICATION_JSON)
    public Map<String, Object> list() {
        return ApiError.answering(() -> {
            checks.requireViewSettings();
            return listing();
        });
    }

    @POST
    @Path("prepare")
    @Produces(MediaType.APPLICATION_JSON)
    public Response prepare(String body) {
        return ApiError.answering(() -> Response.status(Response.Status.CREATED)
                .entity(phase(body, OperationType.CREATE, keys::prepare)).type(MediaType.APPLICATION_JSON_TYPE).build());
    }

    @POST
    @Path("activate")
    @Produces(MediaType.APPLICATION_JSON)
    public Map<String, Object> activate(String body) {
        return ApiError.answering(() -> phase(body, OperationType.UPDATE, keys::activate));
    }

    @POST
    @Path("retire")
    @Produces(MediaType.APPLICATION_JSON)
    public Map<String, Object> retire(String body) {
        return ApiError.answering(() -> {
            checks.requireManageSettings();
            JsonBody.parse(body);
            List<RotationKey> retired = keys.retire(Instant.now());
            SettingsComponent.touch(realm);
            Map<String, Object> answer = Representations.keys(keys.list(), retired);
            retired.forEach(key -> event(OperationType.DELETE, key, answer));
            return answer;
        });
    }

    /** A phase that makes one key the next or the active one, answered with the keys as they are after it. */
    private Map<String, Object> phase(String body, OperationType operation, Function<Instant, RotationKey> step) {
        checks.requireManageSettings();
        JsonBody.parse(body);
        RotationKey key = step.apply(Instant.now());
        SettingsComponent.touch(realm);
        Map<String, Object> answer = listing();
        event(operation, key, answer);
        return answer;
    }

    private Map<String, Object> listing() {
        return Representations.keys(keys.list(), List.of());
    }

    private void event(OperationType operation, RotationKey key, Map<String, Object> answer) {
        adminEvent.resource(ResourceType.COMPONENT).operation(operation)
                .resourcePath("components", key.componentId()).representation(answer).success();
    }
}
