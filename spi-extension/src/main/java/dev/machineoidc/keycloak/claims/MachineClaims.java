package dev.machineoidc.keycloak.claims;

import dev.machineoidc.keycloak.machine.Machine;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Computes what a token says about a machine. Plain Java: the mapper and the mint endpoint both call it. */
public final class MachineClaims {

    private MachineClaims() {
    }

    /**
     * @param orgId        the org's stable id (its realm id)
     * @param orgName      the org's name (its realm name)
     * @param awsRequested whether the caller asked for AWS principal tags
     * @return the configured Machine claims in Fly's order, then the AWS tags claim if due ({@code sub} is the org's
     *         subject template's, {@link dev.machineoidc.keycloak.subject.SubjectTemplate})
     */
    public static Map<String, Object> compute(String orgId, String orgName, Machine machine, ClaimsConfig config,
                                              boolean awsRequested) {
        Map<String, Object> claims = new LinkedHashMap<>();
        for (MachineClaim claim : config.claims()) {
            claims.put(claim.claimName(), value(claim, orgId, orgName, machine));
        }
        if (config.awsTags().include(awsRequested)) {
            claims.put(MachineClaim.AWS_TAGS_CLAIM, awsTags(orgId, orgName, machine));
        }
        return claims;
    }

    private static String value(MachineClaim claim, String orgId, String orgName, Machine machine) {
        return switch (claim) {
            case ORG_ID -> orgId;
            case ORG_NAME -> orgName;
            case APP_ID -> machine.appId();
            case APP_NAME -> machine.appName();
            case MACHINE_ID -> machine.id();
            case MACHINE_NAME -> machine.name();
            case MACHINE_VERSION -> machine.version();
            case IMAGE -> machine.image();
            case IMAGE_DIGEST -> machine.imageDigest();
            case REGION -> machine.region();
        };
    }

    /** AWS session tags: values are lists, keys sorted as AWS documents them; nothing is transitive. */
    private static Map<String, Object> awsTags(String orgId, String orgName, Machine machine) {
        Map<String, Object> principalTags = new LinkedHashMap<>();
        principalTags.put("app_id", List.of(machine.appId()));
        principalTags.put("app_name", List.of(machine.appName()));
        principalTags.put("machine_id", List.of(machine.id()));
        principalTags.put("org_id", List.of(orgId));
        principalTags.put("org_name", List.of(orgName));
        principalTags.put("region", List.of(machine.region()));
        Map<String, Object> tags = new LinkedHashMap<>();
        tags.put("principal_tags", principalTags);
        tags.put("transitive_tag_keys", List.of());
        return tags;
    }
}
