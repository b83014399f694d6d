package dev.machineoidc.keycloak.it;

import dev.machineoidc.arquillian.JsonResponse;
import dev.machineoidc.keycloak.it.support.Prometheus;
import dev.machineoidc.keycloak.it.support.TestMachine;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;
import java.util.UUID;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.empty;
import static org.hamcrest.Matchers.greaterThanOrEqualTo;
import static org.hamcrest.Matchers.hasKey;
import static org.hamcrest.Matchers.is;
import static org.hamcrest.Matchers.not;

/**
 * The extension's meters on Keycloak's management port ({@code /metrics}, Prometheus text), scraped before and after
 * known traffic. Test classes run one after another, so the server sees no other traffic between the two scrapes.
 */
class MetricsIT extends ProviderDeployment {

    static final String MINTS = "machine_oidc_mints_total";
    static final String MINT_SECONDS_BUCKET = "machine_oidc_mint_seconds_bucket";
    static final String MINT_SECONDS_COUNT = "machine_oidc_mint_seconds_count";
    static final String BATCH_SIZE_COUNT = "machine_oidc_mint_batch_size_count";
    static final String BATCH_SIZE_SUM = "machine_oidc_mint_batch_size_sum";
    static final String RATE_LIMITED = "machine_oidc_rate_limited_total";
    static final String ENROLLMENTS = "machine_oidc_enrollments_total";

    @Test
    void mintsRefusalsLatencyBatchesAndEnrollmentsAreCounted() {
        TestMachine open = keycloak.provision(admin, org(), "app", "m");
        TestMachine slow = keycloak.provision(admin, org(), "app", "m");
        putSettings(open, Map.of("allowed_audiences", List.of("sts.amazonaws.com")));
        putSettings(slow, Map.of("mint_rate_limit", 0.01)); // one token, then the next only after 100 s
        String token = open.enrollmentToken();
        Prometheus before = Prometheus.scrape(http, server.managementUrl());

        assertThat(open.withEnrollmentToken("not-a-token").tryEnroll().status(), is(401));
        open.withEnrollmentToken(token).enroll().signAssertion();
        slow.enroll().signAssertion();
        assertThat(open.tryMint("{}").status(), is(200));
        assertThat(open.tryMint("{\"aud\":\"vault\"}").status(), is(403));
        assertThat(open.tryMintBatch("{\"requests\":[{},{\"aud\":\"sts.amazonaws.com\"},{\"aud\":42}]}").status(), is(200));
        assertThat(open.tryMintWith("not-an-assertion", "{}").status(), is(401));
        assertThat(slow.tryMint("{}").status(), is(200));
        assertThat(slow.tryMintBatch("{\"requests\":[{},{},{}]}").status(), is(429));
        Prometheus after = Prometheus.scrape(http, server.managementUrl());

        assertGrew(before, after, ENROLLMENTS, Map.of("result", "success"), 2);
        assertGrew(before, after, ENROLLMENTS, Map.of("result", "failure"), 1);
        assertGrew(before, after, MINTS, Map.of("result", "success", "error", "none"), 4);
        assertGrew(before, after, MINTS, Map.of("result", "failure", "error", "audience_not_allowed"), 1);
        assertGrew(before, after, MINTS, Map.of("result", "failure", "error", "invalid_request"), 1);
        assertGrew(before, after, MINTS, Map.of("result", "failure", "error", "invalid_token"), 1);
        assertGrew(before, after, MINTS, Map.of("result", "failure", "error", "rate_limited"), 3);
        assertGrew(before, after, RATE_LIMITED, Map.of(), 3);
        assertGrew(before, after, MINT_SECONDS_COUNT, Map.of(), 6);
        assertGrew(before, after, MINT_SECONDS_BUCKET, Map.of("le", "+Inf"), 6);
        assertGrew(before, after, BATCH_SIZE_COUNT, Map.of(), 5);
        assertGrew(before, after, BATCH_SIZE_SUM, Map.of(), 1 + 1 + 3 + 1 + 3);
        assertThat("a histogram Prometheus can take quantiles from",
                after.samples(MINT_SECONDS_BUCKET, Map.of()).size(), greaterThanOrEqualTo(10));
        for (String name : List.of(MINTS, MINT_SECONDS_BUCKET, BATCH_SIZE_COUNT, RATE_LIMITED, ENROLLMENTS)) {
            assertThat(name + " has samples", after.samples(name, Map.of()), not(empty()));
            for (Prometheus.Sample sample : after.samples(name, Map.of())) {
                assertThat("no org tag unless the operator asks for it: " + sample, sample.labels(), not(hasKey("org")));
            }
        }
    }

    private static String org() {
        return "metrics-" + UUID.randomUUID().toString().substring(0, 8);
    }

    private void putSettings(TestMachine machine, Map<String, Object> settings) {
        JsonResponse put = http.json("PUT", keycloak.admin(machine.org(), "/machine-oidc/settings"), admin, settings);
        assertThat(put.body(), put.status(), is(200));
    }

    static void assertGrew(Prometheus before, Prometheus after, String name, Map<String, String> labels, double by) {
        assertThat(name + labels, after.sum(name, labels) - before.sum(name, labels), is(by));
    }
}
