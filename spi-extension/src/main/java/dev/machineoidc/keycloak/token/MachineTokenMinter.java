package dev.machineoidc.keycloak.token;

import dev.machineoidc.keycloak.claims.ClaimsConfig;
import dev.machineoidc.keycloak.claims.MachineClaims;
import dev.machineoidc.keycloak.claims.MachineClaimsMapper;
import dev.machineoidc.keycloak.issuer.OrgIssuer;
import dev.machineoidc.keycloak.machine.Machine;
import dev.machineoidc.keycloak.org.CachedOrgSettings;
import dev.machineoidc.keycloak.org.OrgSettings;
import dev.machineoidc.keycloak.refusal.Refusal;
import dev.machineoidc.keycloak.signing.MintSigner;
import dev.machineoidc.keycloak.subject.SubjectTemplate;
import org.keycloak.common.util.Time;
import org.keycloak.crypto.SignatureSignerContext;
import org.keycloak.jose.jws.JWSBuilder;
import org.keycloak.models.ClientScopeModel;
import org.keycloak.models.KeycloakSession;
import org.keycloak.models.ProtocolMapperModel;
import org.keycloak.models.RealmModel;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.function.Predicate;
import java.util.stream.Stream;

/** Builds and signs machine tokens with the org's active RS256 key. */
public final class MachineTokenMinter {

    private final RealmModel org;
    private final OrgSettings settings;
    private final OrgIssuer issuer;
    private final String defaultAudience;
    private final ClaimsConfig claimsConfig;
    private final SignatureSignerContext signer;

    /** Reads the org's settings, issuer, claims mapper's configuration and signing key once, for every token this minter signs. */
    public MachineTokenMinter(KeycloakSession session, RealmModel org) {
        this.org = org;
        this.settings = CachedOrgSettings.of(org);
        this.issuer = OrgIssuer.of(session, org);
        this.defaultAudience = settings.defaultAudienceOr(issuer.issuer());
        this.claimsConfig = ClaimsConfig.parse(findClaimsMapper().getConfig());
        this.signer = MintSigner.forRealm(session, org);
    }

    public record Minted(String jwt, String audience, String jti) {
    }

    public Minted mint(Machine machine, MintRequest request) {
        // The org's default audience (its issuer unless set) is always allowed, asked for or not; anything else needs the policy.
        String audience = request.audience().orElse(defaultAudience);
        if (!audience.equals(defaultAudience) && !settings.audiencePolicy().allows(audience)) {
            throw Refusal.forbidden("audience_not_allowed", "The org's audience policy does not allow this audience.");
        }
        long now = Time.currentTime();
        String jti = UUID.randomUUID().toString();
        Map<String, Object> claims = new LinkedHashMap<>();
        claims.put("iss", issuer.issuer());
        claims.put("aud", audience);
        claims.put("iat", now);
        claims.put("nbf", now - settings.nbfBackdateSeconds());
        claims.put("exp", now + settings.tokenLifetimeSeconds());
        claims.put("jti", jti);
        claims.put("sub", subject(machine));
        claims.putAll(MachineClaims.compute(org.getId(), org.getName(), machine, claimsConfig, request.awsPrincipalTags()));
        String jwt = new JWSBuilder().type("JWT").jsonContent(claims).sign(signer);
        return new Minted(jwt, audience, jti);
    }

    private String subject(Machine machine) {
        try {
            return settings.subjectTemplate().render(org.getId(), org.getName(), machine);
        } catch (SubjectTemplate.Unavailable e) {
            throw Refusal.forbidden("subject_unavailable", e.getMessage());
        }
    }

    private ProtocolMapperModel findClaimsMapper() {
        Predicate<ClientScopeModel> claimsScope = scope -> MachineClaimsMapper.CLAIMS_SCOPE.equals(scope.getName());
        // Orgs made before the attribute existed, or whose scope was re-created by hand, are found by the scope's name.
        return Optional.ofNullable(org.getAttribute(MachineClaimsMapper.CLAIMS_SCOPE_ID))
                .map(org::getClientScopeById)
                .filter(claimsScope)
                .map(Stream::of)
                .orElseGet(() -> org.getClientScopesStream().filter(claimsScope))
                .flatMap(scope -> scope.getProtocolMappersStream())
                .filter(mapper -> MachineClaimsMapper.PROVIDER_ID.equals(mapper.getProtocolMapper()))
                .findFirst()
                .orElseThrow(() -> Refusal.unavailable("org_misconfigured", "The org's '" + MachineClaimsMapper.CLAIMS_SCOPE
                        + "' client scope has no Machine claims mapper."));
    }
}
