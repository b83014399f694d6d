package dev.machineoidc.keycloak.claims;

import java.util.Arrays;
import java.util.List;
import java.util.Optional;

/** The Machine claims, in the order Fly's example token lists them. */
public enum MachineClaim {
    ORG_ID("org_id"),
    ORG_NAME("org_name"),
    APP_ID("app_id"),
    APP_NAME("app_name"),
    MACHINE_ID("machine_id"),
    MACHINE_NAME("machine_name"),
    MACHINE_VERSION("machine_version"),
    IMAGE("image"),
    IMAGE_DIGEST("image_digest"),
    REGION("region");

    public static final String AWS_TAGS_CLAIM = "https://aws.amazon.com/tags";

    private final String claimName;

    MachineClaim(String claimName) {
        this.claimName = claimName;
    }

    public String claimName() {
        return claimName;
    }

    public static Optional<MachineClaim> byName(String name) {
        return Arrays.stream(values()).filter(c -> c.claimName.equals(name)).findFirst();
    }

    public static List<String> names() {
        return Arrays.stream(values()).map(MachineClaim::claimName).toList();
    }
}
