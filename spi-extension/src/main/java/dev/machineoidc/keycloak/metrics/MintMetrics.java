package dev.machineoidc.keycloak.metrics;

import dev.machineoidc.keycloak.config.MachineOidcConfigProvider;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Metrics;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.Timer;
import org.keycloak.models.KeycloakSession;
import org.keycloak.models.RealmModel;

import java.time.Duration;

/**
 * The extension's meters, in a registry: Keycloak's own (Micrometer's global registry, which Keycloak's Prometheus
 * registry joins when {@code metrics-enabled} is on, served at the management port's {@code /metrics}), or a test's.
 * Micrometer names below; Prometheus spells them with underscores and adds {@code _total} to counters and
 * {@code _seconds} to timers. Meters are looked up by name and tags at each use (the registry keeps them), so nothing
 * is held here beyond one request.
 */
public final class MintMetrics {

    /** {@code machine_oidc_mints_total{result,error}}: tokens minted ({@code success}) or refused, by error code. */
    public static final String MINTS = "machine.oidc.mints";
    /** {@code machine_oidc_mint_seconds}: time per call to a mint endpoint, a batch being one call. */
    public static final String MINT_SECONDS = "machine.oidc.mint";
    /** {@code machine_oidc_mint_batch_size}: tokens asked for per call. */
    public static final String BATCH_SIZE = "machine.oidc.mint.batch.size";
    /** {@code machine_oidc_rate_limited_total}: tokens refused by the org's mint rate limit. */
    public static final String RATE_LIMITED = "machine.oidc.rate.limited";
    /** {@code machine_oidc_enrollments_total{result}}: enrollment attempts. */
    public static final String ENROLLMENTS = "machine.oidc.enrollments";

    public static final String SUCCESS = "success";
    public static final String FAILURE = "failure";
    /** The tags of every token minted: built once, as the mint path looks the counter up for each. */
    private static final Tags MINTED = Tags.of("result", SUCCESS, "error", "none");

    /** Buckets for Prometheus's histogram_quantile: a mint takes about a millisecond, a slow one tens. */
    private static final Duration[] MINT_BUCKETS = {
            Duration.ofMillis(1), Duration.ofMillis(2), Duration.ofMillis(5), Duration.ofMillis(10), Duration.ofMillis(25),
            Duration.ofMillis(50), Duration.ofMillis(100), Duration.ofMillis(250), Duration.ofMillis(500),
            Duration.ofSeconds(1), Duration.ofMillis(2500)};
    /** Up to the batch endpoint's 64. */
    private static final double[] BATCH_BUCKETS = {1, 2, 4, 8, 16, 32, 64};

    private final MeterRegistry registry;
    private final Tags common;

    /**
     * @param org the org's name to tag every meter with, or null for none (the operator's choice: one series per
     *            org adds up in a deployment with thousands of orgs)
     */
    public MintMetrics(MeterRegistry registry, String org) {
        this.registry = registry;
        this.common = org == null ? Tags.empty() : Tags.of("org", org);
    }

    /** Keycloak's registry, with the org tag when the deployment option {@code metrics-org-tag} is on. */
    public static MintMetrics of(KeycloakSession session, RealmModel org) {
        boolean orgTag = session.getProvider(MachineOidcConfigProvider.class).config().metricsOrgTag();
        return new MintMetrics(Metrics.globalRegistry, orgTag ? org.getName() : null);
    }

    public void minted() {
        mints(MINTED).increment();
    }

    /** Tokens refused with this error code: one for a refused item or a call refused whole. */
    public void refused(String error, int tokens) {
        mints(Tags.of("result", FAILURE, "error", error)).increment(tokens);
    }

    /** Tokens refused by the rate limit: counted among the refused mints and on their own. */
    public void rateLimited(int tokens) {
        refused("rate_limited", tokens);
        Counter.builder(RATE_LIMITED).description("Machine tokens refused by the org's mint rate limit")
                .tags(common).register(registry).increment(tokens);
    }

    public void call(Duration elapsed) {
        Timer.builder(MINT_SECONDS).description("Time per call to a mint endpoint (a batch is one call)")
                .serviceLevelObjectives(MINT_BUCKETS).tags(common).register(registry).record(elapsed);
    }

    public void batch(int tokens) {
        DistributionSummary.builder(BATCH_SIZE).description("Tokens asked for per call to a mint endpoint")
                .serviceLevelObjectives(BATCH_BUCKETS).tags(common).register(registry).record(tokens);
    }

    public void enrollment(boolean enrolled) {
        Counter.builder(ENROLLMENTS).description("Machine enrollments, by result")
                .tags(common).tag("result", enrolled ? SUCCESS : FAILURE).register(registry).increment();
    }

    private Counter mints(Tags outcome) {
        return Counter.builder(MINTS).description("Machine tokens minted or refused, by result and error code")
                .tags(common.and(outcome)).register(registry);
    }
}
