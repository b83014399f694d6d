package dev.machineoidc.keycloak.org;

import dev.machineoidc.keycloak.subject.SubjectTemplate;
import dev.machineoidc.keycloak.testing.AttributeModels;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.NullSource;
import org.junit.jupiter.params.provider.ValueSource;
import org.keycloak.models.RealmModel;

import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.is;
import static org.hamcrest.Matchers.nullValue;
import static org.junit.jupiter.api.Assertions.assertThrows;

class OrgSettingsTest {

    /** A realm that only stores attributes. */
    static RealmModel realm(Map<String, String> attributes) {
        return AttributeModels.of(RealmModel.class, "realm", attributes);
    }

    static RealmModel realm(String... keyValues) {
        Map<String, String> attributes = new HashMap<>();
        for (int i = 0; i < keyValues.length; i += 2) {
            attributes.put(keyValues[i], keyValues[i + 1]);
        }
        return realm(attributes);
    }

    private static OrgSettings settings(int lifetime, int backdate, AudiencePolicy policy) {
        return new OrgSettings(lifetime, backdate, policy, 100, 300, SubjectTemplate.DEFAULT, null);
    }

    @ParameterizedTest
    @CsvSource({"59, false", "60, true", "600, true", "86400, true", "86401, false", "0, false", "-1, false"})
    void tokenLifetimeBounds(int seconds, boolean valid) {
        if (valid) {
            assertThat(settings(seconds, 0, AudiencePolicy.ANY).tokenLifetimeSeconds(), is(seconds));
            assertThat(OrgSettings.DEFAULTS.withTokenLifetime(seconds).tokenLifetimeSeconds(), is(seconds));
        } else {
            assertThrows(IllegalArgumentException.class, () -> settings(seconds, 0, AudiencePolicy.ANY));
            assertThrows(IllegalArgumentException.class, () -> OrgSettings.DEFAULTS.withTokenLifetime(seconds));
        }
    }

    @ParameterizedTest
    @CsvSource({"-1, false", "0, true", "30, true", "3600, true", "3601, false"})
    void nbfBackdateBounds(int seconds, boolean valid) {
        if (valid) {
            assertThat(settings(600, seconds, AudiencePolicy.ANY).nbfBackdateSeconds(), is(seconds));
            assertThat(OrgSettings.DEFAULTS.withNbfBackdate(seconds).nbfBackdateSeconds(), is(seconds));
        } else {
            assertThrows(IllegalArgumentException.class, () -> settings(600, seconds, AudiencePolicy.ANY));
            assertThrows(IllegalArgumentException.class, () -> OrgSettings.DEFAULTS.withNbfBackdate(seconds));
        }
    }

    @Test
    void audiencePolicyIsRequired() {
        assertThrows(IllegalArgumentException.class, () -> settings(600, 0, null));
        assertThrows(IllegalArgumentException.class, () -> OrgSettings.DEFAULTS.withAudiencePolicy(null));
    }

    @Test
    void defaults() {
        assertThat(OrgSettings.DEFAULTS.tokenLifetimeSeconds(), is(600));
        assertThat(OrgSettings.DEFAULTS.nbfBackdateSeconds(), is(0));
        assertThat(OrgSettings.DEFAULTS.audiencePolicy(), is(AudiencePolicy.ANY));
        assertThat(OrgSettings.DEFAULTS.mintRateLimit(), is(100.0));
        assertThat(OrgSettings.DEFAULTS.subjectTemplate().source(), is("{org}:{app}:{machine}"));
        assertThat(OrgSettings.DEFAULTS.defaultAudience(), is(nullValue()));
        assertThat(OrgSettings.DEFAULTS.defaultAudienceOr("https://oidc.example.com/acme"), is("https://oidc.example.com/acme"));
    }

    @Test
    void aDefaultAudienceOfItsOwnReplacesTheIssuer() {
        OrgSettings fly = OrgSettings.DEFAULTS.withDefaultAudience("https://fly.io/acme");
        assertThat(fly.defaultAudienceOr("https://oidc.example.com/acme"), is("https://fly.io/acme"));
        assertThat(fly.withDefaultAudience(null).defaultAudienceOr("https://oidc.example.com/acme"), is("https://oidc.example.com/acme"));
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "tab\there", "caf\u00e9", "new\nline"})
    void aDefaultAudienceFollowsTheAudienceRule(String audience) {
        IllegalArgumentException refused = assertThrows(IllegalArgumentException.class,
                () -> OrgSettings.DEFAULTS.withDefaultAudience(audience));
        assertThat(refused.getMessage(), is("the default audience must be 1-256 printable characters"));
        assertThrows(IllegalArgumentException.class, () -> OrgSettings.DEFAULTS.withDefaultAudience("a".repeat(257)));
        assertThat(OrgSettings.DEFAULTS.withDefaultAudience("a".repeat(256)).defaultAudience(), is("a".repeat(256)));
    }

    /** GET shows the issuer where no default audience is set; PUT of the same value must not pin today's issuer. */
    @Test
    void theIssuerAsDefaultAudienceIsNoneOfItsOwn() {
        String issuer = "https://oidc.example.com/acme";
        assertThat(OrgSettings.DEFAULTS.withDefaultAudience(issuer).normalizedFor(issuer), is(OrgSettings.DEFAULTS));
        OrgSettings vault = OrgSettings.DEFAULTS.withDefaultAudience("vault");
        assertThat(vault.normalizedFor(issuer), is(vault));
        assertThat(OrgSettings.DEFAULTS.normalizedFor(issuer), is(OrgSettings.DEFAULTS));
    }

    @Test
    void theSubjectTemplateIsRequired() {
        assertThrows(IllegalArgumentException.class, () -> OrgSettings.DEFAULTS.withSubjectTemplate(null));
    }

    /** Fail closed: a template broken by hand is kept, so minting refuses it, rather than replaced by the default. */
    @Test
    void aStoredTemplateThatDoesNotParseIsKeptWithItsProblem() {
        SubjectTemplate stored = OrgSettings.of(realm(OrgSettings.SUBJECT_TEMPLATE, "{org}::{app}")).subjectTemplate();
        assertThat(stored.source(), is("{org}::{app}"));
        assertThat(stored.problem().isPresent(), is(true));
        assertThat(OrgSettings.of(realm(OrgSettings.SUBJECT_TEMPLATE, "{app_id}")).subjectTemplate(), is(SubjectTemplate.parse("{app_id}")));
    }

    @ParameterizedTest
    @CsvSource(nullValues = "NULL", value = {"NULL, NULL", "'', NULL", "'tab\tx', NULL", "vault, vault"})
    void aBrokenDefaultAudienceIsTheIssuer(String raw, String expected) {
        assertThat(OrgSettings.of(realm(OrgSettings.DEFAULT_AUDIENCE, raw)).defaultAudience(), is(expected));
    }

    @ParameterizedTest
    @CsvSource({"0.009, false", "0.01, true", "0.5, true", "100, true", "100000, true", "100000.5, false", "0, false",
            "-1, false", "NaN, false", "Infinity, false"})
    void mintRateLimitBounds(double rate, boolean valid) {
        if (valid) {
            assertThat(OrgSettings.DEFAULTS.withMintRateLimit(rate).mintRateLimit(), is(rate));
        } else {
            IllegalArgumentException refused = assertThrows(IllegalArgumentException.class,
                    () -> OrgSettings.DEFAULTS.withMintRateLimit(rate));
            assertThat(refused.getMessage(), is("the mint rate limit must be 0.01-100000 tokens per second, not "
                    + OrgSettings.formatRate(rate)));
        }
    }

    @ParameterizedTest
    @CsvSource({"100, 100", "0.5, 0.5", "0.01, 0.01", "100000, 100000", "12.50, 12.5", "1e2, 100"})
    void ratesAreWrittenAsPeopleWriteThem(double rate, String written) {
        assertThat(OrgSettings.formatRate(rate), is(written));
    }

    @ParameterizedTest
    @CsvSource(nullValues = "NULL", value = {
            "NULL, 100", "'', 100", "fast, 100", "0, 100", "-5, 100", "0.001, 100", "100001, 100", "NaN, 100",
            "Infinity, 100", "0.5, 0.5", "2500, 2500"})
    void brokenMintRateLimitFallsBackToTheDefault(String raw, double expected) {
        assertThat(OrgSettings.of(realm(OrgSettings.MINT_RATE_LIMIT, raw)).mintRateLimit(), is(expected));
    }

    @Test
    void aRealmWithoutAttributesHasTheDefaults() {
        assertThat(OrgSettings.of(realm()), is(OrgSettings.DEFAULTS));
    }

    @Test
    void aRealmWithGoodAttributesIsReadAsIs() {
        OrgSettings settings = OrgSettings.of(realm(
                OrgSettings.TOKEN_LIFETIME, "900",
                OrgSettings.NBF_BACKDATE, "30",
                OrgSettings.ALLOWED_AUDIENCES, "[\"sts.amazonaws.com\",\"https://*.example.com\"]"));
        assertThat(settings.tokenLifetimeSeconds(), is(900));
        assertThat(settings.nbfBackdateSeconds(), is(30));
        assertThat(settings.audiencePolicy().patterns(), is(List.of("sts.amazonaws.com", "https://*.example.com")));
    }

    @ParameterizedTest
    @CsvSource(nullValues = "NULL", value = {
            "NULL, 600", "'', 600", "abc, 600", "59, 600", "86401, 600", "-600, 600", "' 900', 600",
            "9.5, 600", "99999999999999, 600", "60, 60", "86400, 86400", "1200, 1200"})
    void brokenTokenLifetimeFallsBackToTheDefault(String raw, int expected) {
        assertThat(OrgSettings.of(realm(OrgSettings.TOKEN_LIFETIME, raw)).tokenLifetimeSeconds(), is(expected));
    }

    @ParameterizedTest
    @CsvSource(nullValues = "NULL", value = {
            "NULL, 0", "'', 0", "x, 0", "-1, 0", "3601, 0", "0, 0", "3600, 3600", "45, 45"})
    void brokenNbfBackdateFallsBackToTheDefault(String raw, int expected) {
        assertThat(OrgSettings.of(realm(OrgSettings.NBF_BACKDATE, raw)).nbfBackdateSeconds(), is(expected));
    }

    @Test
    void missingAudiencePolicyAllowsAnyAudience() {
        AudiencePolicy policy = OrgSettings.of(realm(OrgSettings.TOKEN_LIFETIME, "600")).audiencePolicy();
        assertThat(policy, is(AudiencePolicy.ANY));
        assertThat(policy.allows("sts.amazonaws.com"), is(true));
    }

    @ParameterizedTest
    @ValueSource(strings = {
            "", "not json", "[", "{\"a\":1}", "\"*\"", "42", "true",
            "[\"\"]", "[\"caf\u00e9\"]", "[[\"*\"]]", "[{\"p\":\"*\"}]", "[]"})
    void brokenAudiencePolicyAllowsNothing(String raw) {
        AudiencePolicy policy = OrgSettings.of(realm(OrgSettings.ALLOWED_AUDIENCES, raw)).audiencePolicy();
        assertThat(policy.allows("sts.amazonaws.com"), is(false));
        assertThat(policy.allows("*"), is(false));
    }

    /** JSON {@code null}, or a list holding null, is as broken as any other value and must not fail the mint. */
    @ParameterizedTest
    @ValueSource(strings = {"null", "[null]", "[\"*\",null]"})
    void audiencePolicyHoldingJsonNullAllowsNothing(String raw) {
        AudiencePolicy policy = OrgSettings.of(realm(OrgSettings.ALLOWED_AUDIENCES, raw)).audiencePolicy();
        assertThat(policy, is(AudiencePolicy.NONE));
    }

    @Test
    void tooManyAudiencePatternsAllowNothing() {
        String raw = "[" + String.join(",", java.util.Collections.nCopies(101, "\"*\"")) + "]";
        assertThat(OrgSettings.of(realm(OrgSettings.ALLOWED_AUDIENCES, raw)).audiencePolicy(), is(AudiencePolicy.NONE));
    }

    @Test
    void writeToThenOfRoundTrips() {
        OrgSettings settings = new OrgSettings(1800, 120,
                new AudiencePolicy(List.of("sts.amazonaws.com", "https://*.example.com", "quote\"and\\backslash")), 0.25, 45,
                SubjectTemplate.parse("{org_id}:{app_id}:{machine_id}"), "https://fly.io/acme");
        Map<String, String> attributes = new HashMap<>();
        RealmModel realm = realm(attributes);
        assertThat(OrgSettings.isOrg(realm), is(false));
        settings.writeTo(realm);
        assertThat(OrgSettings.isOrg(realm), is(true));
        assertThat(attributes.get(OrgSettings.ORG_MARKER), is("true"));
        assertThat(attributes.get(OrgSettings.TOKEN_LIFETIME), is("1800"));
        assertThat(attributes.get(OrgSettings.NBF_BACKDATE), is("120"));
        assertThat(attributes.get(OrgSettings.MINT_RATE_LIMIT), is("0.25"));
        assertThat(attributes.get(OrgSettings.JWKS_CACHE_SECONDS), is("45"));
        assertThat(attributes.get(OrgSettings.SUBJECT_TEMPLATE), is("{org_id}:{app_id}:{machine_id}"));
        assertThat(attributes.get(OrgSettings.DEFAULT_AUDIENCE), is("https://fly.io/acme"));
        assertThat(OrgSettings.of(realm), is(settings));

        settings.withDefaultAudience(null).writeTo(realm);
        assertThat("no default audience of its own: no attribute", attributes.containsKey(OrgSettings.DEFAULT_AUDIENCE), is(false));
        assertThat(OrgSettings.of(realm).defaultAudience(), is(nullValue()));
    }

    @Test
    void emptyPolicyRoundTripsAsAllowNothing() {
        RealmModel realm = realm(new HashMap<>());
        OrgSettings.DEFAULTS.withAudiencePolicy(AudiencePolicy.NONE).writeTo(realm);
        assertThat(realm.getAttribute(OrgSettings.ALLOWED_AUDIENCES), is("[]"));
        assertThat(OrgSettings.of(realm).audiencePolicy(), is(AudiencePolicy.NONE));
    }

    @Test
    void defaultsRoundTrip() {
        RealmModel realm = realm(new HashMap<>());
        OrgSettings.DEFAULTS.writeTo(realm);
        assertThat(realm.getAttribute(OrgSettings.ALLOWED_AUDIENCES), is("[\"*\"]"));
        assertThat(OrgSettings.of(realm), is(OrgSettings.DEFAULTS));
    }

    @ParameterizedTest
    @NullSource
    @ValueSource(strings = {"", "false", "yes", "1"})
    void onlyTrueMarksAnOrg(String marker) {
        assertThat(OrgSettings.isOrg(realm(OrgSettings.ORG_MARKER, marker)), is(false));
    }

    @ParameterizedTest
    @ValueSource(strings = {"true", "TRUE", "True"})
    void trueMarksAnOrg(String marker) {
        assertThat(OrgSettings.isOrg(realm(OrgSettings.ORG_MARKER, marker)), is(true));
    }

    @ParameterizedTest
    @CsvSource({"-1, false", "0, true", "300, true", "86400, true", "86401, false"})
    void jwksCacheBounds(int seconds, boolean valid) {
        if (valid) {
            assertThat(OrgSettings.DEFAULTS.withJwksCacheSeconds(seconds).jwksCacheSeconds(), is(seconds));
        } else {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                    () -> OrgSettings.DEFAULTS.withJwksCacheSeconds(seconds));
            assertThat(e.getMessage(), is("the JWKS cache time must be 0-86400 seconds"));
        }
    }

    @ParameterizedTest
    @NullSource
    @ValueSource(strings = {"", "-1", "86401", "5m"})
    void aMissingOrBrokenJwksCacheTimeIsTheDefault(String raw) {
        assertThat(OrgSettings.of(realm(OrgSettings.JWKS_CACHE_SECONDS, raw)).jwksCacheSeconds(), is(300));
    }

    @Test
    void loweringTheLifetimeOrCacheTimeRemembersUntilWhenTheOldValueMatters() {
        Map<String, String> attributes = new HashMap<>();
        RealmModel realm = realm(attributes);
        Instant created = Instant.parse("2026-11-30T00:00:00Z");
        OrgSettings.DEFAULTS.withTokenLifetime(3600).writeTo(realm, created);
        assertThat("a new org has nothing to remember", Lingering.TOKEN_LIFETIME.until(realm), is(Optional.empty()));

        Instant lowered = created.plusSeconds(100);
        OrgSettings.DEFAULTS.withTokenLifetime(60).withJwksCacheSeconds(10).writeTo(realm, lowered);

        assertThat(Lingering.TOKEN_LIFETIME.until(realm), is(Optional.of(lowered.plusSeconds(3600))));
        assertThat(Lingering.JWKS_CACHE.until(realm), is(Optional.of(lowered.plusSeconds(300))));
        assertThat(attributes.get(Lingering.TOKEN_LIFETIME.attribute()), is(Long.toString(lowered.plusSeconds(3600).getEpochSecond())));
    }

    @Test
    void raisingOrAShorterLaterLoweringKeepsTheLatestRecord() {
        RealmModel realm = realm(new HashMap<>());
        Instant start = Instant.parse("2026-11-30T00:00:00Z");
        OrgSettings.DEFAULTS.withTokenLifetime(3600).writeTo(realm, start);
        OrgSettings.DEFAULTS.withTokenLifetime(600).writeTo(realm, start.plusSeconds(10));
        OrgSettings.DEFAULTS.withTokenLifetime(1200).writeTo(realm, start.plusSeconds(20));
        OrgSettings.DEFAULTS.withTokenLifetime(60).writeTo(realm, start.plusSeconds(30));

        assertThat("3600 s from the first lowering outlasts 1200 s from the second",
                Lingering.TOKEN_LIFETIME.until(realm), is(Optional.of(start.plusSeconds(3610))));
        assertThat("the cache time never changed", Lingering.JWKS_CACHE.until(realm), is(Optional.empty()));
    }
}
