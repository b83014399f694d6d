package dev.machineoidc.keycloak.admin;

import dev.machineoidc.keycloak.api.ApiError;
import dev.machineoidc.keycloak.api.JsonBody;
import dev.machineoidc.keycloak.config.MachineOidcConfigProvider;
import dev.machineoidc.keycloak.enrollment.EnrollmentTokens;
import dev.machineoidc.keycloak.machine.App;
import dev.machineoidc.keycloak.machine.Machine;
import dev.machineoidc.keycloak.machine.MachineRegistry;
import dev.machineoidc.keycloak.machine.MachineSpec;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.PUT;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import org.keycloak.events.admin.OperationType;
import org.keycloak.events.admin.ResourceType;
import org.keycloak.models.KeycloakSession;
import org.keycloak.models.RealmModel;
import org.keycloak.services.resources.admin.AdminEventBuilder;

import java.time.Clock;
import java.util.List;
import java.util.Map;

/**
 * {@code .../machine-oidc/apps/{app}/machines}: one app's machines, their deploys, revocation and enrollment. JSON only,
 * see {@link MachineOidcAdminResource}.
 */
@Consumes(MediaType.APPLICATION_JSON)
public class MachinesResource {

    private final KeycloakSession session;
    private final RealmModel realm;
    private final MachineRegistry registry;
    private final App app;
    private final AdminChecks checks;
    private final AdminEventBuilder adminEvent;

    MachinesResource(KeycloakSession session, RealmModel realm, MachineRegistry registry, App app, AdminChecks checks,
                     AdminEventBuilder adminEvent) {
        this.session = session;
        this.realm = realm;
        this.registry = registry;
        this.app = app;
        this.checks = checks;
        this.adminEvent = adminEvent;
    }

    @GET
    @Produces(MediaType.APPLICATION_JSON)
    public List<Map<String, Object>> list(@QueryParam("first") String first, @QueryParam("max") String max,
                                          @QueryParam("search") String search) {
        return ApiError.answering(() -> {
            checks.requireViewMachines();
            MachineListQuery query = MachineListQuery.parse(first, max, search);
            return registry.machines(app, query.namePrefix(), query.first(), query.max()).stream()
                    .map(Representations::machine).toList();
        });
    }

    @POST
    @Produces(MediaType.APPLICATION_JSON)
    public Response create(String body) {
        return ApiError.answering(() -> {
            checks.requireManageMachines();
            JsonBody json = JsonBody.parse(body);
            String name = json.requiredString("name");
            MachineSpec spec = specFrom(json);
            Machine machine = registry.createMachine(app, name, spec);
            EnrollmentTokens.Issued enrollment = issueEnrollment(machine);
            Map<String, Object> answer = Representations.newMachine(machine, enrollment);
            event(OperationType.CREATE, machine).representation(Representations.machine(machine)).success();
            return Response.created(session.getContext().getUri().getAbsolutePathBuilder().path(machine.id()).build())
                    .entity(answer).type(MediaType.APPLICATION_JSON_TYPE).build();
        });
    }

    @GET
    @Path("{machine}")
    @Produces(MediaType.APPLICATION_JSON)
    public Map<String, Object> get(@PathParam("machine") String machineId) {
        return ApiError.answering(() -> {
            checks.requireViewMachines();
            return Representations.machine(registry.requireMachine(app, machineId));
        });
    }

    /** A deploy update: new image, digest or region, and so a new machine_version. */
    @PUT
    @Path("{machine}")
    @Produces(MediaType.APPLICATION_JSON)
    public Map<String, Object> update(@PathParam("machine") String machineId, String body) {
        return ApiError.answering(() -> {
            checks.requireManageMachines();
            Machine machine = registry.requireMachine(app, machineId);
            JsonBody json = JsonBody.parse(body);
            MachineSpec spec = new MachineSpec(
                    json.optionalString("region").orElse(machine.region()),
                    json.optionalString("image").orElse(machine.image()),
                    json.optionalString("image_digest").orElse(machine.imageDigest()));
            Machine updated = registry.update(machine, spec);
            Map<String, Object> answer = Representations.machine(updated);
            event(OperationType.UPDATE, updated).representation(answer).success();
            return answer;
        });
    }

    @DELETE
    @Path("{machine}")
    public Response revoke(@PathParam("machine") String machineId) {
        return ApiError.answering(() -> {
            checks.requireManageMachines();
            Machine machine = registry.requireMachine(app, machineId);
            registry.delete(machine);
            event(OperationType.DELETE, machine).success();
            return Response.noContent().build();
        });
    }

    /**
     * A new one-time enrollment token; enrolling with it replaces the machine's key. The request has no fields; its
     * body, if any, must be a JSON object like every other. The body is a parameter because, without one, the runtime
     * still parsed a multipart body for this POST despite the class's {@code @Consumes} (a 500); with one, the
     * {@code @Consumes} check answers 415 first.
     */
    @POST
    @Path("{machine}/enrollment")
    @Produces(MediaType.APPLICATION_JSON)
    public Response enrollment(@PathParam("machine") String machineId, String body) {
        return ApiError.answering(() -> {
            checks.requireManageMachines();
            JsonBody.parse(body);
            Machine machine = registry.requireMachine(app, machineId);
            Map<String, Object> answer = Representations.enrollment(issueEnrollment(machine));
            event(OperationType.ACTION, machine).success();
            return Response.status(Response.Status.CREATED).entity(answer).type(MediaType.APPLICATION_JSON_TYPE).build();
        });
    }

    private EnrollmentTokens.Issued issueEnrollment(Machine machine) {
        int lifetime = session.getProvider(MachineOidcConfigProvider.class).config().enrollmentLifetimeSeconds();
        return new EnrollmentTokens(session.singleUseObjects(), Clock.systemUTC())
                .issue(realm.getClientById(machine.id()), lifetime);
    }

    private AdminEventBuilder event(OperationType operation, Machine machine) {
        AdminEventBuilder event = adminEvent.resource(ResourceType.CLIENT).operation(operation);
        return operation == OperationType.CREATE
                ? event.resourcePath(session.getContext().getUri(), machine.id())
                : event.resourcePath(session.getContext().getUri());
    }

    private static MachineSpec specFrom(JsonBody json) {
        return new MachineSpec(json.requiredString("region"), json.requiredString("image"), json.requiredString("image_digest"));
    }
}
