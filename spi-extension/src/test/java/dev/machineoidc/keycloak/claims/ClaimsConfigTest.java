package dev.machineoidc.keycloak.claims;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

import java.util.EnumSet;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;

import static dev.machineoidc.keycloak.claims.MachineClaim.APP_NAME;
import static dev.machineoidc.keycloak.claims.MachineClaim.IMAGE_DIGEST;
import static dev.machineoidc.keycloak.claims.MachineClaim.MACHINE_ID;
import static dev.machineoidc.keycloak.claims.MachineClaim.ORG_ID;
import static dev.machineoidc.keycloak.claims.MachineClaim.REGION;
import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.is;
import static org.junit.jupiter.api.Assertions.assertThrows;

class ClaimsConfigTest {

    private static Map<String, String> config(String claims, String aws) {
        Map<String, String> config = new HashMap<>();
        if (claims != null) {
            config.put(ClaimsConfig.CLAIMS, claims);
        }
        if (aws != null) {
            config.put(ClaimsConfig.AWS_TAGS, aws);
        }
        return config;
    }

    @Test
    void defaultsWhenAbsent() {
        for (Map<String, String> absent : java.util.Arrays.asList(null, Map.<String, String>of(), Map.of("other", "x"))) {
            ClaimsConfig parsed = ClaimsConfig.parse(absent);
            assertThat(parsed.claims(), is(EnumSet.allOf(MachineClaim.class)));
            assertThat(parsed.awsTags(), is(AwsTagsMode.ON_REQUEST));
            assertThat(parsed, is(ClaimsConfig.DEFAULTS));
        }
    }

    static Stream<Arguments> claimLists() {
        return Stream.of(
                Arguments.of("org_id", EnumSet.of(ORG_ID)),
                Arguments.of("org_id##region", EnumSet.of(ORG_ID, REGION)),
                Arguments.of("region##org_id", EnumSet.of(ORG_ID, REGION)),
                Arguments.of(" machine_id ## app_name ", EnumSet.of(MACHINE_ID, APP_NAME)),
                Arguments.of("image_digest##image_digest", EnumSet.of(IMAGE_DIGEST)),
                Arguments.of("org_id####region##", EnumSet.of(ORG_ID, REGION)),
                Arguments.of("", EnumSet.noneOf(MachineClaim.class)),
                Arguments.of("  ", EnumSet.noneOf(MachineClaim.class)),
                Arguments.of(String.join("##", MachineClaim.names()), EnumSet.allOf(MachineClaim.class)));
    }

    @ParameterizedTest
    @MethodSource("claimLists")
    void parsesJoinedClaimLists(String raw, Set<MachineClaim> expected) {
        assertThat(ClaimsConfig.parse(config(raw, null)).claims(), is(expected));
    }

    @ParameterizedTest
    @ValueSource(strings = {"sub", "org", "ORG_ID", "Org_Id", "iss", "org_id,region", "machine-id"})
    void unknownClaimIsRefusedByName(String unknown) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> ClaimsConfig.parse(config("org_id##" + unknown, null)));
        assertThat(e.getMessage(), containsString("'" + unknown + "'"));
        assertThat(e.getMessage(), containsString("region"));
    }

    @ParameterizedTest
    @CsvSource(nullValues = "NULL", value = {
            "on-request, ON_REQUEST", "always, ALWAYS", "never, NEVER", "' always ', ALWAYS",
            "NULL, ON_REQUEST", "'', ON_REQUEST", "'  ', ON_REQUEST"})
    void awsModes(String raw, AwsTagsMode expected) {
        assertThat(ClaimsConfig.parse(config(null, raw)).awsTags(), is(expected));
    }

    @ParameterizedTest
    @ValueSource(strings = {"ALWAYS", "on_request", "true", "yes", "sometimes"})
    void unknownAwsModeIsRefusedNamingTheValue(String raw) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> ClaimsConfig.parse(config(null, raw)));
        assertThat(e.getMessage(), containsString("'" + raw + "'"));
        assertThat(e.getMessage(), containsString("on-request"));
    }

    @Test
    void awsModeInclusion() {
        assertThat(AwsTagsMode.ON_REQUEST.include(true), is(true));
        assertThat(AwsTagsMode.ON_REQUEST.include(false), is(false));
        assertThat(AwsTagsMode.ALWAYS.include(true), is(true));
        assertThat(AwsTagsMode.ALWAYS.include(false), is(true));
        assertThat(AwsTagsMode.NEVER.include(true), is(false));
        assertThat(AwsTagsMode.NEVER.include(false), is(false));
        assertThat(AwsTagsMode.configValues(), is(List.of("on-request", "always", "never")));
    }

    static Stream<ClaimsConfig> configs() {
        return Stream.of(
                ClaimsConfig.DEFAULTS,
                new ClaimsConfig(EnumSet.of(REGION, ORG_ID), AwsTagsMode.ALWAYS),
                new ClaimsConfig(EnumSet.of(MACHINE_ID), AwsTagsMode.NEVER),
                new ClaimsConfig(Set.of(), AwsTagsMode.ON_REQUEST));
    }

    @ParameterizedTest
    @MethodSource("configs")
    void toConfigRoundTrips(ClaimsConfig config) {
        assertThat(ClaimsConfig.parse(config.toConfig()), is(config));
    }

    @Test
    void toConfigOfTheDefaults() {
        Map<String, String> config = ClaimsConfig.DEFAULTS.toConfig();
        assertThat(config.get(ClaimsConfig.CLAIMS), is("org_id##org_name##app_id##app_name##machine_id##machine_name"
                + "##machine_version##image##image_digest##region"));
        assertThat(config.get(ClaimsConfig.AWS_TAGS), is("on-request"));
        assertThat(config.size(), is(2));
    }

    @Test
    void claimsAreCopied() {
        Set<MachineClaim> claims = EnumSet.of(ORG_ID);
        ClaimsConfig config = new ClaimsConfig(claims, AwsTagsMode.NEVER);
        claims.add(REGION);
        assertThat(config.claims(), is(EnumSet.of(ORG_ID)));
    }
}
