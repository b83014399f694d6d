package dev.machineoidc.keycloak.claims;

import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The Machine-claims mapper's configuration as stored in its {@code ProtocolMapperModel}: which claims to emit
 * and when to add AWS session tags. Parsing validates, so the admin console refuses a bad form.
 */
public record ClaimsConfig(Set<MachineClaim> claims, AwsTagsMode awsTags) {

    public static final String CLAIMS = "machine.claims";
    public static final String AWS_TAGS = "aws.principal.tags";
    /** How Keycloak joins the values of a multivalued config field. */
    static final String DELIMITER = "##";

    public static final ClaimsConfig DEFAULTS = new ClaimsConfig(EnumSet.allOf(MachineClaim.class), AwsTagsMode.ON_REQUEST);

    public ClaimsConfig {
        claims = claims.isEmpty() ? EnumSet.noneOf(MachineClaim.class) : EnumSet.copyOf(claims);
    }

    /** @throws IllegalArgumentException naming the bad value */
    public static ClaimsConfig parse(Map<String, String> config) {
        String rawClaims = config == null ? null : config.get(CLAIMS);
        Set<MachineClaim> claims = EnumSet.allOf(MachineClaim.class);
        if (rawClaims != null) {
            claims = EnumSet.noneOf(MachineClaim.class);
            for (String name : rawClaims.split(DELIMITER)) {
                if (name.isBlank()) {
                    continue;
                }
                String trimmed = name.trim();
                claims.add(MachineClaim.byName(trimmed).orElseThrow(() -> new IllegalArgumentException(
                        "Unknown Machine claim '" + trimmed + "'; known claims: " + String.join(", ", MachineClaim.names()))));
            }
        }
        String rawMode = config == null ? null : config.get(AWS_TAGS);
        AwsTagsMode mode = rawMode == null || rawMode.isBlank() ? AwsTagsMode.ON_REQUEST
                : AwsTagsMode.of(rawMode.trim()).orElseThrow(() -> new IllegalArgumentException(
                        "AWS principal tags must be one of " + String.join(", ", AwsTagsMode.configValues())
                                + ", got '" + rawMode + "'"));
        return new ClaimsConfig(claims, mode);
    }

    public Map<String, String> toConfig() {
        List<String> names = new ArrayList<>();
        claims.forEach(c -> names.add(c.claimName()));
        return Map.of(CLAIMS, String.join(DELIMITER, names), AWS_TAGS, awsTags.configValue());
    }
}
