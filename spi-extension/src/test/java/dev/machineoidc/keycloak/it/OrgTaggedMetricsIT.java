package dev.machineoidc.keycloak.it;

import dev.machineoidc.keycloak.it.support.Prometheus;
import dev.machineoidc.keycloak.it.support.TestMachine;
import org.jboss.arquillian.container.test.api.Deployment;
import org.jboss.arquillian.container.test.api.TargetsContainer;
import org.jboss.shrinkwrap.api.spec.JavaArchive;
import org.junit.jupiter.api.Test;

import java.util.Map;
import java.util.UUID;

import static dev.machineoidc.keycloak.it.MetricsIT.assertGrew;
import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.is;

/** With {@code --spi-machine-oidc--default--metrics-org-tag=true} (the custom-issuer server has it) every series names its org. */
class OrgTaggedMetricsIT extends ContainerTestBase {

    @Deployment(testable = false)
    @TargetsContainer(CustomIssuerIT.CONTAINER)
    public static JavaArchive provider() {
        return ProviderDeployment.provider();
    }

    @Test
    void eachOrgHasItsOwnSeries() {
        String org = "tagged-" + UUID.randomUUID().toString().substring(0, 8);
        TestMachine machine = keycloak.provision(admin, org, "app", "m");
        Prometheus before = Prometheus.scrape(http, server.managementUrl());

        machine.enroll().signAssertion();
        assertThat(machine.tryMint("{}").status(), is(200));
        assertThat(machine.tryMintBatch("{\"requests\":[{},{}]}").status(), is(200));
        Prometheus after = Prometheus.scrape(http, server.managementUrl());

        assertGrew(before, after, MetricsIT.MINTS, Map.of("org", org, "result", "success", "error", "none"), 3);
        assertGrew(before, after, MetricsIT.MINT_SECONDS_COUNT, Map.of("org", org), 2);
        assertGrew(before, after, MetricsIT.MINT_SECONDS_BUCKET, Map.of("org", org, "le", "+Inf"), 2);
        assertGrew(before, after, MetricsIT.BATCH_SIZE_SUM, Map.of("org", org), 3);
        assertGrew(before, after, MetricsIT.ENROLLMENTS, Map.of("org", org, "result", "success"), 1);
        assertThat("nothing of this org without the tag",
                after.samples(MetricsIT.MINTS, Map.of()).stream().allMatch(s -> s.labels().containsKey("org")), is(true));
    }
}
