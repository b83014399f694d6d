package dev.machineoidc.keycloak.org;

import dev.machineoidc.keycloak.subject.SubjectTemplate;
import org.keycloak.common.util.MultivaluedHashMap;
import org.keycloak.models.RealmModel;

import java.math.BigDecimal;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * The per-org knobs of machine tokens, stored in the org's {@link SettingsComponent} under the admin REST API's field
 * names, so the admin console's tab edits them in place. Defaults apply where a value is missing.
 *
 * @param mintRateLimit tokens per second one machine may mint, with bursts of twice that (at least one token)
 * @param jwksCacheSeconds how long verifiers and proxies may cache the org's JWKS and discovery document
 *                         ({@code Cache-Control: max-age}); key rotation waits it out before a new key signs
 * @param subjectTemplate what {@code sub} is made of
 * @param defaultAudience the {@code aud} of a token whose request names none; {@code null}: the org's issuer, whatever
 *                        it is at the time (it follows a change of the deployment's issuer base)
 */
public record OrgSettings(int tokenLifetimeSeconds, int nbfBackdateSeconds, AudiencePolicy audiencePolicy,
                          double mintRateLimit, int jwksCacheSeconds, SubjectTemplate subjectTemplate,
                          String defaultAudience) {

    /** Marks a realm as an org (a realm attribute): realms without it are not touched by this extension. */
    public static final String ORG_MARKER = "machine-oidc.org";
    public static final String TOKEN_LIFETIME = "token_lifetime";
    public static final String NBF_BACKDATE = "nbf_backdate";
    /** One value per pattern; absent when there are none (Keycloak does not keep an empty list). */
    public static final String ALLOWED_AUDIENCES = "allowed_audiences";
    /**
     * The same patterns one per line, in their order: Keycloak keeps a component's values as unordered rows, and the
     * admin API answers the patterns in the order they were given. Not a field of the form.
     */
    public static final String AUDIENCE_ORDER = "allowed_audiences_order";
    public static final String MINT_RATE_LIMIT = "mint_rate_limit";
    public static final String JWKS_CACHE_SECONDS = "jwks_cache_seconds";
    public static final String SUBJECT_TEMPLATE = "subject_template";
    /** Absent while the default audience is the issuer. */
    public static final String DEFAULT_AUDIENCE = "default_audience";

    public static final int DEFAULT_TOKEN_LIFETIME = 600;
    public static final int MIN_TOKEN_LIFETIME = 60;
    /** Azure refuses tokens living longer than about a day. */
    public static final int MAX_TOKEN_LIFETIME = 86_400;
    public static final int MAX_NBF_BACKDATE = 3_600;
    /** Far above what a machine's workloads need (its token file takes one per 9 minutes), far below a node's capacity. */
    public static final double DEFAULT_MINT_RATE_LIMIT = 100;
    /** One token per 100 s. */
    public static final double MIN_MINT_RATE_LIMIT = 0.01;
    /** Above what one node can sign (a few thousand tokens per second), so a limit never needs to be off. */
    public static final double MAX_MINT_RATE_LIMIT = 100_000;
    public static final int DEFAULT_JWKS_CACHE_SECONDS = 300;
    public static final int MAX_JWKS_CACHE_SECONDS = 86_400;
    public static final OrgSettings DEFAULTS = new OrgSettings(DEFAULT_TOKEN_LIFETIME, 0, AudiencePolicy.ANY,
            DEFAULT_MINT_RATE_LIMIT, DEFAULT_JWKS_CACHE_SECONDS, SubjectTemplate.DEFAULT, null);

    public OrgSettings {
        if (tokenLifetimeSeconds < MIN_TOKEN_LIFETIME || tokenLifetimeSeconds > MAX_TOKEN_LIFETIME) {
            throw new IllegalArgumentException("the token lifetime must be " + MIN_TOKEN_LIFETIME + "-"
                    + MAX_TOKEN_LIFETIME + " seconds");
        }
        if (nbfBackdateSeconds < 0 || nbfBackdateSeconds > MAX_NBF_BACKDATE) {
            throw new IllegalArgumentException("the nbf backdate must be 0-" + MAX_NBF_BACKDATE + " seconds");
        }
        if (audiencePolicy == null) {
            throw new IllegalArgumentException("the audience policy is required");
        }
        if (!(mintRateLimit >= MIN_MINT_RATE_LIMIT && mintRateLimit <= MAX_MINT_RATE_LIMIT)) {
            throw new IllegalArgumentException("the mint rate limit must be " + formatRate(MIN_MINT_RATE_LIMIT) + "-"
                    + formatRate(MAX_MINT_RATE_LIMIT) + " tokens per second, not " + formatRate(mintRateLimit));
        }
        if (jwksCacheSeconds < 0 || jwksCacheSeconds > MAX_JWKS_CACHE_SECONDS) {
            throw new IllegalArgumentException("the JWKS cache time must be 0-" + MAX_JWKS_CACHE_SECONDS + " seconds");
        }
        if (subjectTemplate == null) {
            throw new IllegalArgumentException("the subject template is required");
        }
        if (defaultAudience != null && !Audiences.isValid(defaultAudience)) {
            throw new IllegalArgumentException("the default audience must be 1-256 printable characters");
        }
    }

    public static boolean isOrg(RealmModel realm) {
        return Boolean.parseBoolean(realm.getAttribute(ORG_MARKER));
    }

    /** The org's settings; until an org upgraded in place saves them, those of its old realm attributes. */
    public static OrgSettings of(RealmModel realm) {
        return SettingsComponent.find(realm).map(component -> of(component.getConfig())).orElseGet(() -> {
            Map<String, List<String>> legacy = LegacySettingsAttributes.config(realm);
            return legacy.isEmpty() ? DEFAULTS : of(legacy);
        });
    }

    /** Reads stored settings; a value broken by hand falls back to its default rather than failing mints. */
    public static OrgSettings of(Map<String, List<String>> config) {
        return new OrgSettings(
                intOr(first(config, TOKEN_LIFETIME), DEFAULT_TOKEN_LIFETIME, MIN_TOKEN_LIFETIME, MAX_TOKEN_LIFETIME),
                intOr(first(config, NBF_BACKDATE), 0, 0, MAX_NBF_BACKDATE),
                policyOr(ordered(config.get(ALLOWED_AUDIENCES), first(config, AUDIENCE_ORDER))),
                rateOr(first(config, MINT_RATE_LIMIT)),
                intOr(first(config, JWKS_CACHE_SECONDS), DEFAULT_JWKS_CACHE_SECONDS, 0, MAX_JWKS_CACHE_SECONDS),
                SubjectTemplate.stored(first(config, SUBJECT_TEMPLATE)),
                validAudienceOrNull(first(config, DEFAULT_AUDIENCE)));
    }

    /** The settings as stored; an empty audience list and an unset default audience are left out. */
    public MultivaluedHashMap<String, String> toConfig() {
        MultivaluedHashMap<String, String> config = new MultivaluedHashMap<>();
        config.putSingle(TOKEN_LIFETIME, Integer.toString(tokenLifetimeSeconds));
        config.putSingle(NBF_BACKDATE, Integer.toString(nbfBackdateSeconds));
        if (!audiencePolicy.patterns().isEmpty()) {
            config.put(ALLOWED_AUDIENCES, new ArrayList<>(audiencePolicy.patterns()));
            config.putSingle(AUDIENCE_ORDER, String.join("\n", audiencePolicy.patterns()));
        }
        config.putSingle(MINT_RATE_LIMIT, formatRate(mintRateLimit));
        config.putSingle(JWKS_CACHE_SECONDS, Integer.toString(jwksCacheSeconds));
        config.putSingle(SUBJECT_TEMPLATE, subjectTemplate.source());
        if (defaultAudience != null) {
            config.putSingle(DEFAULT_AUDIENCE, defaultAudience);
        }
        return config;
    }

    /** Makes the realm an org with these settings. */
    public void writeTo(RealmModel realm) {
        realm.setAttribute(ORG_MARKER, "true");
        SettingsComponent.save(realm, toConfig());
    }

    /**
     * Records a lowered token lifetime or JWKS cache time for as long as its old value matters; for whoever stores
     * settings that replace these.
     */
    public void recordLoweredFrom(OrgSettings before, RealmModel realm, Instant now) {
        Lingering.TOKEN_LIFETIME.record(realm, before.tokenLifetimeSeconds, tokenLifetimeSeconds, now);
        Lingering.JWKS_CACHE.record(realm, before.jwksCacheSeconds, jwksCacheSeconds, now);
    }

    /** The {@code aud} of a token whose request names none, for an org whose issuer is this. */
    public String defaultAudienceOr(String issuer) {
        return defaultAudience == null ? issuer : defaultAudience;
    }

    public OrgSettings withTokenLifetime(int seconds) {
        return new OrgSettings(seconds, nbfBackdateSeconds, audiencePolicy, mintRateLimit, jwksCacheSeconds,
                subjectTemplate, defaultAudience);
    }

    public OrgSettings withNbfBackdate(int seconds) {
        return new OrgSettings(tokenLifetimeSeconds, seconds, audiencePolicy, mintRateLimit, jwksCacheSeconds,
                subjectTemplate, defaultAudience);
    }

    public OrgSettings withAudiencePolicy(AudiencePolicy policy) {
        return new OrgSettings(tokenLifetimeSeconds, nbfBackdateSeconds, policy, mintRateLimit, jwksCacheSeconds,
                subjectTemplate, defaultAudience);
    }

    public OrgSettings withMintRateLimit(double tokensPerSecond) {
        return new OrgSettings(tokenLifetimeSeconds, nbfBackdateSeconds, audiencePolicy, tokensPerSecond, jwksCacheSeconds,
                subjectTemplate, defaultAudience);
    }

    public OrgSettings withJwksCacheSeconds(int seconds) {
        return new OrgSettings(tokenLifetimeSeconds, nbfBackdateSeconds, audiencePolicy, mintRateLimit, seconds,
                subjectTemplate, defaultAudience);
    }

    public OrgSettings withSubjectTemplate(SubjectTemplate template) {
        return new OrgSettings(tokenLifetimeSeconds, nbfBackdateSeconds, audiencePolicy, mintRateLimit, jwksCacheSeconds,
                template, defaultAudience);
    }

    /** @param audience {@code null} for the org's issuer */
    public OrgSettings withDefaultAudience(String audience) {
        return new OrgSettings(tokenLifetimeSeconds, nbfBackdateSeconds, audiencePolicy, mintRateLimit, jwksCacheSeconds,
                subjectTemplate, audience);
    }

    /**
     * These settings to store for an org with this issuer: a default audience equal to the issuer (what reading the
     * settings shows while none is set) is none of its own, so that settings sent back unchanged never pin an issuer
     * that a new issuer base would leave behind.
     */
    public OrgSettings normalizedFor(String issuer) {
        return defaultAudience != null && defaultAudience.equals(issuer) ? withDefaultAudience(null) : this;
    }

    /** A rate as people write it: {@code 100}, {@code 0.5}, never {@code 1.0E2}. */
    public static String formatRate(double rate) {
        return Double.isFinite(rate) ? BigDecimal.valueOf(rate).stripTrailingZeros().toPlainString() : Double.toString(rate);
    }

    private static int intOr(String raw, int fallback, int min, int max) {
        try {
            int value = Integer.parseInt(raw);
            return value >= min && value <= max ? value : fallback;
        } catch (NumberFormatException e) {
            return fallback;
        }
    }

    private static double rateOr(String raw) {
        if (raw == null) {
            return DEFAULT_MINT_RATE_LIMIT;
        }
        try {
            double rate = Double.parseDouble(raw);
            return rate >= MIN_MINT_RATE_LIMIT && rate <= MAX_MINT_RATE_LIMIT ? rate : DEFAULT_MINT_RATE_LIMIT;
        } catch (NumberFormatException e) {
            return DEFAULT_MINT_RATE_LIMIT;
        }
    }

    /** A default audience broken by hand is no default of its own: tokens that name none get the issuer, as before. */
    private static String validAudienceOrNull(String raw) {
        return Audiences.isValid(raw) ? raw : null;
    }

    private static AudiencePolicy policyOr(List<String> patterns) {
        if (patterns == null) {
            return AudiencePolicy.NONE;
        }
        try {
            return patterns.stream().anyMatch(Objects::isNull) ? AudiencePolicy.NONE : new AudiencePolicy(List.copyOf(patterns));
        } catch (IllegalArgumentException e) {
            // A broken policy must not open the org to every audience: allow none until an admin fixes it.
            return AudiencePolicy.NONE;
        }
    }

    /** The patterns in their recorded order, unless the record no longer holds exactly them (edited by hand). */
    private static List<String> ordered(List<String> patterns, String order) {
        if (patterns == null || order == null) {
            return patterns;
        }
        List<String> recorded = List.of(order.split("\n", -1));
        return recorded.size() == patterns.size() && new HashSet<>(recorded).equals(new HashSet<>(patterns)) ? recorded : patterns;
    }

    private static String first(Map<String, List<String>> config, String key) {
        return config.getOrDefault(key, List.of()).stream().filter(Objects::nonNull).findFirst().orElse(null);
    }
}
