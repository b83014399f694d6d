package dev.machineoidc.keycloak.realm;

import dev.machineoidc.keycloak.api.ApiError;
import dev.machineoidc.keycloak.api.JsonBody;
import dev.machineoidc.keycloak.api.NoStore;
import dev.machineoidc.keycloak.api.PublicCache;
import dev.machineoidc.keycloak.enrollment.EnrollmentTokens;
import dev.machineoidc.keycloak.enrollment.MachineEnrollment;
import dev.machineoidc.keycloak.issuer.DiscoveryDocument;
import dev.machineoidc.keycloak.issuer.OrgIssuer;
import dev.machineoidc.keycloak.keys.OrgKeys;
import dev.machineoidc.keycloak.machine.MachineRegistry;
import dev.machineoidc.keycloak.org.OrgSettings;
import dev.machineoidc.keycloak.metrics.MintMetrics;
import dev.machineoidc.keycloak.refusal.Refusal;
import dev.machineoidc.keycloak.token.MachineAssertionVerifier;
import dev.machineoidc.keycloak.token.MintCall;
import dev.machineoidc.keycloak.view.AppsAndMachinesPage;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import org.keycloak.jose.jwk.JSONWebKeySet;
import org.keycloak.jose.jwk.JWK;
import org.keycloak.models.ClientModel;
import org.keycloak.models.KeycloakSession;
import org.keycloak.models.RealmModel;
import org.keycloak.protocol.oidc.utils.JWKSServerUtils;

import java.time.Clock;
import java.util.Map;

/**
 * The org-facing endpoints: machine enrollment and minting for the bridge, and the issuer's discovery document
 * and keys for verifiers (reached through the reverse proxy when a custom issuer base is set). Each endpoint answers
 * the refusals of its work through {@link ApiError}.
 */
public class MachineOidcRealmResource {

    private final KeycloakSession session;
    private final RealmModel realm;

    public MachineOidcRealmResource(KeycloakSession session) {
        this.session = session;
        this.realm = session.getContext().getRealm();
    }

    @POST
    @Path("enroll")
    @Produces(MediaType.APPLICATION_JSON)
    public Map<String, String> enroll(String body) {
        return ApiError.answering(() -> {
            requireOrg();
            MintMetrics metrics = MintMetrics.of(session, realm);
            Clock clock = Clock.systemUTC();
            MachineRegistry registry = new MachineRegistry(session, realm, clock);
            ClientModel client;
            try {
                client = new MachineEnrollment(registry, new EnrollmentTokens(session.singleUseObjects(), clock))
                        .enroll(JsonBody.parse(body));
            } catch (Refusal e) {
                metrics.enrollment(false);
                throw e;
            }
            metrics.enrollment(true);
            return Map.of("client_id", client.getClientId());
        });
    }

    /** Mints in batches (docs/bridge-protocol.md §4): the assertion and the lookups are paid once per call. */
    @POST
    @Path("tokens")
    @Produces(MediaType.APPLICATION_JSON)
    public Response mintBatch(@HeaderParam(HttpHeaders.AUTHORIZATION) String authorization, String body) {
        return ApiError.answering(() -> {
            requireOrg();
            MintCall call = new MintCall(session, realm, MintMetrics.of(session, realm),
                    new MachineAssertionVerifier(session, realm)::verify);
            MintCall.Answer answer = call.batch(authorization, body);
            if (answer instanceof MintCall.OverLimit overLimit) {
                return ApiError.of(overLimit.refusal()).getResponse();
            }
            return Response.ok(((MintCall.Results) answer).json(), MediaType.APPLICATION_JSON_TYPE)
                    .cacheControl(NoStore.cacheControl()).build();
        });
    }

    @GET
    @Path(".well-known/openid-configuration")
    @Produces(MediaType.APPLICATION_JSON)
    public Response discovery() {
        return ApiError.answering(() -> {
            requireOrg();
            return publicAnswer(DiscoveryDocument.of(OrgIssuer.of(session, realm)));
        });
    }

    /**
     * The org's signing keys: next, active and previous (Keycloak publishes passive keys, and only those of the
     * rotation are passive signing keys), nothing else of the realm (no encryption key). Verifiers and proxies may
     * cache it for the org's {@code jwks_cache_seconds}, which the rotation waits out before a new key signs.
     */
    @GET
    @Path(".well-known/jwks")
    @Produces(MediaType.APPLICATION_JSON)
    public Response jwks() {
        return ApiError.answering(() -> {
            requireOrg();
            JSONWebKeySet jwks = new JSONWebKeySet();
            jwks.setKeys(session.keys().getKeysStream(realm)
                    .filter(OrgKeys::isPublishedRs256SigningKey)
                    .map(JWKSServerUtils::toJwk)
                    .toArray(JWK[]::new));
            return publicAnswer(jwks);
        });
    }

    /** The Apps and machines view for the org's admins. */
    @Path("console")
    public AppsAndMachinesPage console() {
        return ApiError.answering(() -> {
            requireOrg();
            return new AppsAndMachinesPage(session, realm);
        });
    }

    private Response publicAnswer(Object document) {
        return Response.ok(document)
                .header(HttpHeaders.CACHE_CONTROL, PublicCache.forSeconds(OrgSettings.of(realm).jwksCacheSeconds()))
                .build();
    }

    private void requireOrg() {
        if (!OrgSettings.isOrg(realm)) {
            throw Refusal.notFound("Realm '" + realm.getName() + "' is not a Machine OIDC org.");
        }
    }
}
