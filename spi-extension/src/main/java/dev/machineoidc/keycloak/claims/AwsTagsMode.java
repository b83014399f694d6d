package dev.machineoidc.keycloak.claims;

import java.util.Arrays;
import java.util.List;
import java.util.Optional;

/** When the AWS session-tags claim goes into a token. */
public enum AwsTagsMode {
    /** Only when the request says {@code aws_principal_tags: true} (Fly's behaviour). */
    ON_REQUEST("on-request"),
    ALWAYS("always"),
    NEVER("never");

    private final String configValue;

    AwsTagsMode(String configValue) {
        this.configValue = configValue;
    }

    public String configValue() {
        return configValue;
    }

    public boolean include(boolean requested) {
        return this == ALWAYS || this == ON_REQUEST && requested;
    }

    public static Optional<AwsTagsMode> of(String value) {
        return Arrays.stream(values()).filter(m -> m.configValue.equals(value)).findFirst();
    }

    public static List<String> configValues() {
        return Arrays.stream(values()).map(AwsTagsMode::configValue).toList();
    }
}
