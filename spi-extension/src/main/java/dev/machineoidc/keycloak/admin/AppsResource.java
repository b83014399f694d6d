package dev.machineoidc.keycloak.admin;

import dev.machineoidc.keycloak.api.ApiError;
import dev.machineoidc.keycloak.api.JsonBody;
import dev.machineoidc.keycloak.machine.App;
import dev.machineoidc.keycloak.machine.MachineRegistry;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import org.keycloak.events.admin.OperationType;
import org.keycloak.events.admin.ResourceType;
import org.keycloak.models.KeycloakSession;
import org.keycloak.models.RealmModel;
import org.keycloak.services.resources.admin.AdminEventBuilder;

import java.util.List;
import java.util.Map;

/** {@code .../machine-oidc/apps}: an org's apps. JSON only, see {@link MachineOidcAdminResource}. */
@Consumes(MediaType.APPLICATION_JSON)
public class AppsResource {

    private final KeycloakSession session;
    private final RealmModel realm;
    private final MachineRegistry registry;
    private final AdminChecks checks;
    private final AdminEventBuilder adminEvent;

    AppsResource(KeycloakSession session, RealmModel realm, MachineRegistry registry, AdminChecks checks,
                 AdminEventBuilder adminEvent) {
        this.session = session;
        this.realm = realm;
        this.registry = registry;
        this.checks = checks;
        this.adminEvent = adminEvent;
    }

    @GET
    @Produces(MediaType.APPLICATION_JSON)
    public List<Map<String, Object>> list() {
        return ApiError.answering(() -> {
            checks.requireViewMachines();
            return registry.apps().stream().map(app -> Representations.app(app, registry.machineCount(app))).toList();
        });
    }

    @POST
    @Produces(MediaType.APPLICATION_JSON)
    public Response create(String body) {
        return ApiError.answering(() -> {
            checks.requireManageMachines();
            App app = registry.createApp(JsonBody.parse(body).requiredString("name"));
            Map<String, Object> answer = Representations.app(app);
            adminEvent.resource(ResourceType.CLIENT).operation(OperationType.CREATE)
                    .resourcePath(session.getContext().getUri(), app.name()).representation(answer).success();
            return Response.created(session.getContext().getUri().getAbsolutePathBuilder().path(app.name()).build())
                    .entity(answer).type(MediaType.APPLICATION_JSON_TYPE).build();
        });
    }

    @GET
    @Path("{app}")
    @Produces(MediaType.APPLICATION_JSON)
    public Map<String, Object> get(@PathParam("app") String name) {
        return ApiError.answering(() -> {
            checks.requireViewMachines();
            App app = registry.requireApp(name);
            return Representations.app(app, registry.machineCount(app));
        });
    }

    @DELETE
    @Path("{app}")
    public Response delete(@PathParam("app") String name) {
        return ApiError.answering(() -> {
            checks.requireManageMachines();
            registry.deleteApp(registry.requireApp(name));
            adminEvent.resource(ResourceType.CLIENT).operation(OperationType.DELETE)
                    .resourcePath(session.getContext().getUri()).success();
            return Response.noContent().build();
        });
    }

    @Path("{app}/machines")
    public MachinesResource machines(@PathParam("app") String name) {
        return ApiError.answering(() -> {
            checks.requireViewMachines();
            return new MachinesResource(session, realm, registry, registry.requireApp(name), checks, adminEvent);
        });
    }
}
