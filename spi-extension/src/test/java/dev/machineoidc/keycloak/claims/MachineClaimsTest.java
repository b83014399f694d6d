package dev.machineoidc.keycloak.claims;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.machineoidc.keycloak.machine.Machine;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.contains;
import static org.hamcrest.Matchers.hasKey;
import static org.hamcrest.Matchers.is;
import static org.hamcrest.Matchers.not;

class MachineClaimsTest {

    private static final String ORG_ID = "9b7c2f4e-0000-4000-8000-000000000001";
    private static final String ORG_NAME = "example-org";
    private static final Machine MACHINE = new Machine("0123456789abcd", "example-machine", "app-uuid-1", "example-app",
            "sea", "registry.example.com/app:1", "sha256:" + "ab".repeat(32), "01ARZ3NDEKTSV4RRFFQ69G5FAV", true, true, null);

    private static Map<String, Object> compute(ClaimsConfig config, boolean requested) {
        return MachineClaims.compute(ORG_ID, ORG_NAME, MACHINE, config, requested);
    }

    @Test
    void defaultsGiveEveryMachineClaimInFlyOrder() throws Exception {
        Map<String, Object> claims = compute(ClaimsConfig.DEFAULTS, false);
        assertThat(new ArrayList<>(claims.keySet()), contains("org_id", "org_name", "app_id", "app_name",
                "machine_id", "machine_name", "machine_version", "image", "image_digest", "region"));
        assertThat(claims.get("org_id"), is(ORG_ID));
        assertThat(claims.get("org_name"), is(ORG_NAME));
        assertThat(claims.get("app_id"), is("app-uuid-1"));
        assertThat(claims.get("app_name"), is("example-app"));
        assertThat(claims.get("machine_id"), is("0123456789abcd"));
        assertThat(claims.get("machine_name"), is("example-machine"));
        assertThat(claims.get("machine_version"), is("01ARZ3NDEKTSV4RRFFQ69G5FAV"));
        assertThat(claims.get("image"), is("registry.example.com/app:1"));
        assertThat(claims.get("image_digest"), is("sha256:" + "ab".repeat(32)));
        assertThat(claims.get("region"), is("sea"));
        assertThat(new ObjectMapper().writeValueAsString(claims), is("{\"org_id\":\"" + ORG_ID + "\","
                + "\"org_name\":\"example-org\",\"app_id\":\"app-uuid-1\","
                + "\"app_name\":\"example-app\",\"machine_id\":\"0123456789abcd\",\"machine_name\":\"example-machine\","
                + "\"machine_version\":\"01ARZ3NDEKTSV4RRFFQ69G5FAV\",\"image\":\"registry.example.com/app:1\","
                + "\"image_digest\":\"sha256:" + "ab".repeat(32) + "\",\"region\":\"sea\"}"));
    }

    @ParameterizedTest
    @CsvSource({
            "on-request, false, false",
            "on-request, true, true",
            "always, false, true",
            "always, true, true",
            "never, false, false",
            "never, true, false"})
    void awsTagsClaimFollowsTheMode(String mode, boolean requested, boolean present) {
        ClaimsConfig config = ClaimsConfig.parse(Map.of(ClaimsConfig.AWS_TAGS, mode));
        Map<String, Object> claims = compute(config, requested);
        assertThat(claims.containsKey(MachineClaim.AWS_TAGS_CLAIM), is(present));
        assertThat(claims.size(), is(present ? 11 : 10));
        if (present) {
            List<String> keys = new ArrayList<>(claims.keySet());
            assertThat(keys.get(keys.size() - 1), is(MachineClaim.AWS_TAGS_CLAIM));
        }
    }

    @Test
    void awsTagsClaimHasTheExactStructure() throws Exception {
        Object tags = compute(ClaimsConfig.DEFAULTS, true).get("https://aws.amazon.com/tags");
        assertThat(new ObjectMapper().writeValueAsString(tags), is("{\"principal_tags\":{"
                + "\"app_id\":[\"app-uuid-1\"],"
                + "\"app_name\":[\"example-app\"],"
                + "\"machine_id\":[\"0123456789abcd\"],"
                + "\"org_id\":[\"" + ORG_ID + "\"],"
                + "\"org_name\":[\"example-org\"],"
                + "\"region\":[\"sea\"]},"
                + "\"transitive_tag_keys\":[]}"));
    }

    @Test
    void awsTagsDoNotDependOnTheConfiguredClaims() throws Exception {
        ClaimsConfig onlyRegion = new ClaimsConfig(EnumSet.of(MachineClaim.REGION), AwsTagsMode.ALWAYS);
        Map<String, Object> claims = compute(onlyRegion, false);
        assertThat(new ArrayList<>(claims.keySet()), contains("region", MachineClaim.AWS_TAGS_CLAIM));
        assertThat(new ObjectMapper().writeValueAsString(claims.get(MachineClaim.AWS_TAGS_CLAIM)),
                is(new ObjectMapper().writeValueAsString(compute(ClaimsConfig.DEFAULTS, true).get(MachineClaim.AWS_TAGS_CLAIM))));
    }

    @Test
    void fewerClaimsEmitOnlyThoseInFlyOrder() {
        ClaimsConfig config = ClaimsConfig.parse(Map.of(ClaimsConfig.CLAIMS, "region##machine_id##org_name"));
        Map<String, Object> claims = compute(config, true);
        assertThat(new ArrayList<>(claims.keySet()), contains("org_name", "machine_id", "region",
                MachineClaim.AWS_TAGS_CLAIM));
        assertThat(claims, not(hasKey("org_id")));
        assertThat(claims, not(hasKey("image")));
    }

    /** sub is the org's subject template's (SubjectTemplateTest), not a Machine claim of the mapper's. */
    @Test
    void noClaimsGiveNothingNotEvenSub() {
        ClaimsConfig config = ClaimsConfig.parse(Map.of(ClaimsConfig.CLAIMS, "", ClaimsConfig.AWS_TAGS, "never"));
        assertThat(compute(config, true).isEmpty(), is(true));
        assertThat(compute(ClaimsConfig.DEFAULTS, true), not(hasKey("sub")));
    }
}
