package dev.machineoidc.keycloak.admin;

import dev.machineoidc.keycloak.api.ApiError;
import dev.machineoidc.keycloak.api.JsonBody;
import dev.machineoidc.keycloak.issuer.OrgIssuer;
import dev.machineoidc.keycloak.machine.MachineRegistry;
import dev.machineoidc.keycloak.machine.Names;
import dev.machineoidc.keycloak.org.AudiencePolicy;
import dev.machineoidc.keycloak.org.OrgProvisioner;
import dev.machineoidc.keycloak.org.OrgSettings;
import dev.machineoidc.keycloak.refusal.Refusal;
import dev.machineoidc.keycloak.subject.SubjectTemplate;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.PUT;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import org.keycloak.Config;
import org.keycloak.events.admin.OperationType;
import org.keycloak.events.admin.ResourceType;
import org.keycloak.models.KeycloakSession;
import org.keycloak.models.RealmModel;
import org.keycloak.models.UserModel;
import org.keycloak.models.AdminRoles;
import org.keycloak.services.resources.admin.AdminEventBuilder;
import org.keycloak.services.resources.admin.fgap.AdminPermissionEvaluator;

import java.net.URI;
import java.time.Clock;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * {@code /admin/realms/{realm}/machine-oidc}: orgs (on master), and each org's settings, apps and machines.
 * <p>
 * JSON only, on every resource of the API: Keycloak's runtime parses a form or multipart body before any resource
 * method runs, and a body that is not one answers 500 there; declared, such a request is a 415 at routing instead, as
 * for Keycloak's own admin API. A request without a Content-Type is read as JSON.
 */
@Consumes(MediaType.APPLICATION_JSON)
public class MachineOidcAdminResource {

    private final KeycloakSession session;
    private final RealmModel realm;
    private final AdminPermissionEvaluator auth;
    private final AdminEventBuilder adminEvent;
    private final AdminChecks checks;

    public MachineOidcAdminResource(KeycloakSession session, RealmModel realm, AdminPermissionEvaluator auth,
                                    AdminEventBuilder adminEvent) {
        this.session = session;
        this.realm = realm;
        this.auth = auth;
        this.adminEvent = adminEvent;
        this.checks = new AdminChecks(session, auth);
    }

    @POST
    @Path("orgs")
    @Produces(MediaType.APPLICATION_JSON)
    public Response createOrg(String body) {
        return ApiError.answering(() -> {
            requireAdminRealm();
            checks.requireCreateOrg();
            JsonBody json = JsonBody.parse(body);
            // Checked before anything is derived from it: the issuer of a name that is no org name may not even be a URI.
            String name = Names.require("org", json.requiredString("name"));
            OrgSettings settings = settingsFrom(json, OrgSettings.DEFAULTS).normalizedFor(OrgIssuer.named(session, name).issuer());
            String orgId = new OrgProvisioner(session).create(name, settings, this::grantCreatorAdmin);
            RealmModel org = session.realms().getRealm(orgId);
            Map<String, Object> answer = Representations.org(org, OrgIssuer.of(session, org).issuer());
            adminEvent.resource(ResourceType.REALM).operation(OperationType.CREATE).resourcePath(name).representation(answer).success();
            URI location = session.getContext().getUri().getBaseUriBuilder().path("admin/realms/{org}/machine-oidc/settings").build(name);
            return Response.created(location).entity(answer).type(MediaType.APPLICATION_JSON_TYPE).build();
        });
    }

    /** The orgs the caller may see, as Keycloak's realm list shows them: by name. */
    @GET
    @Path("orgs")
    @Produces(MediaType.APPLICATION_JSON)
    public List<Map<String, Object>> orgs() {
        return ApiError.answering(() -> {
            requireAdminRealm();
            return session.realms().getRealmsStream()
                    .filter(OrgSettings::isOrg)
                    .filter(checks::canSee)
                    .sorted(Comparator.comparing(RealmModel::getName))
                    .map(org -> Representations.org(org, OrgIssuer.of(session, org).issuer()))
                    .toList();
        });
    }

    @GET
    @Path("settings")
    @Produces(MediaType.APPLICATION_JSON)
    public Map<String, Object> settings() {
        return ApiError.answering(() -> {
            checks.requireViewSettings();
            requireOrg();
            return Representations.settings(OrgSettings.of(realm), OrgIssuer.of(session, realm).issuer());
        });
    }

    @PUT
    @Path("settings")
    @Produces(MediaType.APPLICATION_JSON)
    public Map<String, Object> updateSettings(String body) {
        return ApiError.answering(() -> {
            checks.requireManageSettings();
            requireOrg();
            String issuer = OrgIssuer.of(session, realm).issuer();
            OrgSettings updated = settingsFrom(JsonBody.parse(body), OrgSettings.of(realm)).normalizedFor(issuer);
            updated.writeTo(realm);
            Map<String, Object> answer = Representations.settings(updated, issuer);
            adminEvent.resource(ResourceType.REALM).operation(OperationType.UPDATE)
                    .resourcePath(session.getContext().getUri()).representation(answer).success();
            return answer;
        });
    }

    @Path("apps")
    public AppsResource apps() {
        return ApiError.answering(() -> {
            requireOrg();
            return new AppsResource(session, realm, new MachineRegistry(session, realm, Clock.systemUTC()), checks, adminEvent);
        });
    }

    @Path("keys")
    public KeysResource keys() {
        return ApiError.answering(() -> {
            requireOrg();
            return new KeysResource(session, realm, checks, adminEvent);
        });
    }

    private void requireAdminRealm() {
        if (!Config.getAdminRealm().equals(realm.getName())) {
            throw Refusal.notFound("Orgs are listed and created under /admin/realms/master/machine-oidc/orgs.");
        }
    }

    private void requireOrg() {
        if (!OrgSettings.isOrg(realm)) {
            throw Refusal.notFound("Realm '" + realm.getName() + "' is not a Machine OIDC org.");
        }
    }

    /**
     * A creator without the global admin role gets the new realm's admin roles, as Keycloak does for realms; in the
     * org's own transaction, so the creator is read again there.
     */
    private void grantCreatorAdmin(KeycloakSession orgSession, RealmModel org) {
        if (auth.adminAuth().hasRealmRole(AdminRoles.ADMIN)) {
            return;
        }
        RealmModel creatorRealm = orgSession.realms().getRealm(auth.adminAuth().getRealm().getId());
        UserModel creator = orgSession.users().getUserById(creatorRealm, auth.adminAuth().getUser().getId());
        Arrays.stream(AdminRoles.ALL_REALM_ROLES)
                .map(org.getMasterAdminClient()::getRole)
                .forEach(creator::grantRole);
    }

    private static OrgSettings settingsFrom(JsonBody json, OrgSettings base) {
        try {
            OrgSettings settings = base;
            Optional<Long> lifetime = json.optionalInteger("token_lifetime");
            if (lifetime.isPresent()) {
                settings = settings.withTokenLifetime(clamp(lifetime.get()));
            }
            Optional<Long> backdate = json.optionalInteger("nbf_backdate");
            if (backdate.isPresent()) {
                settings = settings.withNbfBackdate(clamp(backdate.get()));
            }
            Optional<List<String>> audiences = json.optionalStringList("allowed_audiences");
            if (audiences.isPresent()) {
                settings = settings.withAudiencePolicy(new AudiencePolicy(audiences.get()));
            }
            Optional<Double> rate = json.optionalNumber("mint_rate_limit");
            if (rate.isPresent()) {
                settings = settings.withMintRateLimit(rate.get());
            }
            Optional<Long> jwksCache = json.optionalInteger("jwks_cache_seconds");
            if (jwksCache.isPresent()) {
                settings = settings.withJwksCacheSeconds(clamp(jwksCache.get()));
            }
            Optional<String> template = json.optionalString("subject_template");
            if (template.isPresent()) {
                settings = settings.withSubjectTemplate(SubjectTemplate.parse(template.get()));
            }
            Optional<String> audience = json.optionalString("default_audience");
            if (audience.isPresent()) {
                settings = settings.withDefaultAudience(audience.get());
            }
            return settings;
        } catch (IllegalArgumentException e) {
            throw Refusal.invalid("invalid_settings", "Invalid settings: " + e.getMessage() + ".");
        }
    }

    /** Out-of-range numbers stay out of range, so the settings' own bounds reject them with their message. */
    private static int clamp(long value) {
        return (int) Math.max(Integer.MIN_VALUE, Math.min(Integer.MAX_VALUE, value));
    }
}
