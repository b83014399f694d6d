package dev.machineoidc.keycloak.metrics;

import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.Tag;
import io.micrometer.core.instrument.distribution.CountAtBucket;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.is;
import static org.hamcrest.Matchers.not;

class MintMetricsTest {

    private final SimpleMeterRegistry registry = new SimpleMeterRegistry();
    private final MintMetrics metrics = new MintMetrics(registry, null);

    private double mints(String result, String error) {
        return registry.get(MintMetrics.MINTS).tag("result", result).tag("error", error).counter().count();
    }

    @Test
    void mintsAreCountedByResultAndErrorCode() {
        metrics.minted();
        metrics.minted();
        metrics.refused("audience_not_allowed", 1);
        metrics.refused("invalid_token", 1);
        metrics.refused("invalid_token", 1);

        assertThat(mints("success", "none"), is(2.0));
        assertThat(mints("failure", "audience_not_allowed"), is(1.0));
        assertThat(mints("failure", "invalid_token"), is(2.0));
    }

    @Test
    void rateLimitedTokensAreRefusedMintsAndCountedOnTheirOwn() {
        metrics.rateLimited(44);
        metrics.rateLimited(1);

        assertThat(mints("failure", "rate_limited"), is(45.0));
        assertThat(registry.get(MintMetrics.RATE_LIMITED).counter().count(), is(45.0));
    }

    @Test
    void callTimesFallIntoHistogramBuckets() {
        metrics.call(Duration.ofMillis(3));
        metrics.call(Duration.ofMillis(40));

        CountAtBucket[] buckets = registry.get(MintMetrics.MINT_SECONDS).timer().takeSnapshot().histogramCounts();
        assertThat(Arrays.stream(buckets).map(b -> b.bucket(TimeUnit.MILLISECONDS)).toList(),
                is(List.of(1.0, 2.0, 5.0, 10.0, 25.0, 50.0, 100.0, 250.0, 500.0, 1000.0, 2500.0)));
        assertThat("cumulative: none under 2 ms, one under 5 ms, both under 50 ms",
                Arrays.stream(buckets).map(CountAtBucket::count).toList(),
                is(List.of(0.0, 0.0, 1.0, 1.0, 1.0, 2.0, 2.0, 2.0, 2.0, 2.0, 2.0)));
        assertThat(registry.get(MintMetrics.MINT_SECONDS).timer().count(), is(2L));
    }

    @Test
    void batchSizesAreADistribution() {
        metrics.batch(1);
        metrics.batch(64);
        metrics.batch(5);

        assertThat(registry.get(MintMetrics.BATCH_SIZE).summary().count(), is(3L));
        assertThat(registry.get(MintMetrics.BATCH_SIZE).summary().totalAmount(), is(70.0));
        assertThat(registry.get(MintMetrics.BATCH_SIZE).summary().max(), is(64.0));
    }

    @Test
    void enrollmentsAreCountedByResult() {
        metrics.enrollment(true);
        metrics.enrollment(false);
        metrics.enrollment(false);

        assertThat(registry.get(MintMetrics.ENROLLMENTS).tag("result", "success").counter().count(), is(1.0));
        assertThat(registry.get(MintMetrics.ENROLLMENTS).tag("result", "failure").counter().count(), is(2.0));
    }

    @Test
    void noMeterCarriesTheOrgUnlessAsked() {
        new MintMetrics(registry, null).minted();
        new MintMetrics(registry, null).call(Duration.ofMillis(1));

        assertThat(tagKeys(), not(hasItem("org")));
    }

    @Test
    void withTheOrgTagEveryMeterCarriesIt() {
        MintMetrics tagged = new MintMetrics(registry, "acme");
        tagged.minted();
        tagged.refused("invalid_token", 1);
        tagged.rateLimited(2);
        tagged.call(Duration.ofMillis(1));
        tagged.batch(2);
        tagged.enrollment(true);

        for (Meter meter : registry.getMeters()) {
            assertThat(meter.getId().toString(), meter.getId().getTags(), hasItem(Tag.of("org", "acme")));
        }
        assertThat(registry.get(MintMetrics.MINTS).tag("org", "acme").tag("result", "success").counter().count(), is(1.0));
    }

    private Set<String> tagKeys() {
        return registry.getMeters().stream().flatMap(m -> m.getId().getTags().stream()).map(Tag::getKey)
                .collect(Collectors.toSet());
    }
}
