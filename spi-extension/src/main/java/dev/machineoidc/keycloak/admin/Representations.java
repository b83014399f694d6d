package dev.machineoidc.keycloak.admin;

import dev.machineoidc.keycloak.enrollment.EnrollmentTokens;
import dev.machineoidc.keycloak.keys.RotationKey;
import dev.machineoidc.keycloak.machine.App;
import dev.machineoidc.keycloak.machine.Machine;
import dev.machineoidc.keycloak.org.OrgSettings;
import org.keycloak.models.RealmModel;

import java.math.BigDecimal;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** The admin API's JSON, in one place: models never leave the server as they are. */
final class Representations {

    private Representations() {
    }

    static Map<String, Object> org(RealmModel realm, String issuer) {
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("org_id", realm.getId());
        json.put("org_name", realm.getName());
        json.put("issuer", issuer);
        return json;
    }

    static Map<String, Object> settings(OrgSettings settings, String issuer) {
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("issuer", issuer);
        json.put("token_lifetime", settings.tokenLifetimeSeconds());
        json.put("nbf_backdate", settings.nbfBackdateSeconds());
        json.put("allowed_audiences", settings.audiencePolicy().patterns());
        json.put("mint_rate_limit", new BigDecimal(OrgSettings.formatRate(settings.mintRateLimit())));
        json.put("jwks_cache_seconds", settings.jwksCacheSeconds());
        json.put("subject_template", settings.subjectTemplate().source());
        json.put("default_audience", settings.defaultAudienceOr(issuer));
        return json;
    }

    /** The keys listing; after a retire also the kids it removed. */
    static Map<String, Object> keys(List<RotationKey> keys, List<RotationKey> retired) {
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("keys", keys.stream().map(Representations::key).toList());
        if (!retired.isEmpty()) {
            json.put("retired", retired.stream().map(RotationKey::kid).toList());
        }
        return json;
    }

    private static Map<String, Object> key(RotationKey key) {
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("kid", key.kid());
        json.put("state", key.state().json());
        json.put("created_at", key.createdAt() == null ? null : key.createdAt().toString());
        if (key.activateAfter() != null) {
            json.put("activate_after", key.activateAfter().toString());
        }
        if (key.retireAfter() != null) {
            json.put("retire_after", key.retireAfter().toString());
        }
        return json;
    }

    static Map<String, Object> app(App app) {
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("app_id", app.id());
        json.put("app_name", app.name());
        return json;
    }

    static Map<String, Object> app(App app, long machineCount) {
        Map<String, Object> json = app(app);
        json.put("machine_count", machineCount);
        return json;
    }

    static Map<String, Object> machine(Machine machine) {
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("machine_id", machine.id());
        json.put("machine_name", machine.name());
        json.put("machine_version", machine.version());
        json.put("app_id", machine.appId());
        json.put("app_name", machine.appName());
        json.put("region", machine.region());
        json.put("image", machine.image());
        json.put("image_digest", machine.imageDigest());
        json.put("enrolled", machine.enrolled());
        json.put("enabled", machine.enabled());
        json.put("created_at", machine.created() == null ? null : machine.created().toString());
        return json;
    }

    static Map<String, Object> enrollment(EnrollmentTokens.Issued issued) {
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("enrollment_token", issued.token());
        json.put("enrollment_expires_at", Instant.ofEpochSecond(issued.expiresAt()).toString());
        return json;
    }

    static Map<String, Object> newMachine(Machine machine, EnrollmentTokens.Issued issued) {
        Map<String, Object> json = machine(machine);
        json.putAll(enrollment(issued));
        return json;
    }
}
