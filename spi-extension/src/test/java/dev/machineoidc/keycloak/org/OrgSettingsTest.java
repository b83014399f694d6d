package dev.machineoidc.keycloak.org;

import dev.machineoidc.keycloak.subject.SubjectTemplate;
import dev.machineoidc.keycloak.testing.AttributeModels;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.NullSource;
import org.junit.jupiter.params.provider.ValueSource;
import org.keycloak.component.ComponentModel;
import org.keycloak.models.RealmModel;

import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.is;
import static org.hamcrest.Matchers.nullValue;
import static org.junit.jupiter.api.Assertions.assertThrows;

class OrgSettingsTest {

    /** A realm that only stores attributes and components, without Keycloak's validation of components. */
    static RealmModel realm(Map<String, String> attributes, List<ComponentModel> components) {
        RealmModel attributesOnly = AttributeModels.of(RealmModel.class, "realm", attributes);
        return (RealmModel) Proxy.newProxyInstance(RealmModel.class.getClassLoader(), new Class<?>[] {RealmModel.class},
                (proxy, method, args) -> switch (method.getName()) {
                    case "getComponentsStream" -> components.stream()
                            .filter(c -> c.getParentId().equals(args[0]) && c.getProviderType().equals(args[1]));
                    case "addComponentModel" -> {
                        ((ComponentModel) args[0]).setId("component-" + components.size());
                        components.add((ComponentModel) args[0]);
                        yield args[0];
                    }
                    case "updateComponent" -> {
                        ComponentModel updated = (ComponentModel) args[0];
                        components.replaceAll(c -> c.getId().equals(updated.getId()) ? updated : c);
                        yield null;
                    }
                    default -> {
                        try {
                            yield method.invoke(attributesOnly, args);
                        } catch (InvocationTargetException e) {
                            throw e.getCause();
                        }
                    }
                });
    }

    static RealmModel realm(String... keyValues) {
        Map<String, String> attributes = new HashMap<>();
        for (int i = 0; i < keyValues.length; i += 2) {
            attributes.put(keyValues[i], keyValues[i + 1]);
        }
        return realm(attributes, new ArrayList<>());
    }

    /** Stored settings with one value per key; a null value leaves the key out. */
    static Map<String, List<String>> config(String... keyValues) {
        Map<String, List<String>> config = new HashMap<>();
        for (int i = 0; i < keyValues.length; i += 2) {
            if (keyValues[i + 1] != null) {
                config.put(keyValues[i], List.of(keyValues[i + 1]));
            }
        }
        return config;
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
        SubjectTemplate stored = OrgSettings.of(config(OrgSettings.SUBJECT_TEMPLATE, "{org}::{app}")).subjectTemplate();
        assertThat(stored.source(), is("{org}::{app}"));
        assertThat(stored.problem().isPresent(), is(true));
        assertThat(OrgSettings.of(config(OrgSettings.SUBJECT_TEMPLATE, "{app_id}")).subjectTemplate(), is(SubjectTemplate.parse("{app_id}")));
    }

    @ParameterizedTest
    @CsvSource(nullValues = "NULL", value = {"NULL, NULL", "'', NULL", "'tab\tx', NULL", "vault, vault"})
    void aBrokenDefaultAudienceIsTheIssuer(String raw, String expected) {
        assertThat(OrgSettings.of(config(OrgSettings.DEFAULT_AUDIENCE, raw)).defaultAudience(), is(expected));
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
        assertThat(OrgSettings.of(config(OrgSettings.MINT_RATE_LIMIT, raw)).mintRateLimit(), is(expected));
    }

    @Test
    void aRealmWithoutSettingsHasTheDefaults() {
        assertThat(OrgSettings.of(realm()), is(OrgSettings.DEFAULTS));
    }

    @Test
    void goodStoredSettingsAreReadAsIs() {
        Map<String, List<String>> config = config(OrgSettings.TOKEN_LIFETIME, "900", OrgSettings.NBF_BACKDATE, "30");
        config.put(OrgSettings.ALLOWED_AUDIENCES, List.of("sts.amazonaws.com", "https://*.example.com"));
        OrgSettings settings = OrgSettings.of(config);
        assertThat(settings.tokenLifetimeSeconds(), is(900));
        assertThat(settings.nbfBackdateSeconds(), is(30));
        assertThat(settings.audiencePolicy().patterns(), is(List.of("sts.amazonaws.com", "https://*.example.com")));
    }

    @ParameterizedTest
    @CsvSource(nullValues = "NULL", value = {
            "NULL, 600", "'', 600", "abc, 600", "59, 600", "86401, 600", "-600, 600", "' 900', 600",
            "9.5, 600", "99999999999999, 600", "60, 60", "86400, 86400", "1200, 1200"})
    void brokenTokenLifetimeFallsBackToTheDefault(String raw, int expected) {
        assertThat(OrgSettings.of(config(OrgSettings.TOKEN_LIFETIME, raw)).tokenLifetimeSeconds(), is(expected));
    }

    @ParameterizedTest
    @CsvSource(nullValues = "NULL", value = {
            "NULL, 0", "'', 0", "x, 0", "-1, 0", "3601, 0", "0, 0", "3600, 3600", "45, 45"})
    void brokenNbfBackdateFallsBackToTheDefault(String raw, int expected) {
        assertThat(OrgSettings.of(config(OrgSettings.NBF_BACKDATE, raw)).nbfBackdateSeconds(), is(expected));
    }

    /** Keycloak does not keep the order of a component's values; the recorded order brings it back. */
    @Test
    void thePatternsKeepTheirOrderUnlessTheRecordNoLongerMatches() {
        AudiencePolicy given = new AudiencePolicy(List.of("sts.amazonaws.com", "https://vault.*.example.com", "api"));
        Map<String, List<String>> stored = new HashMap<>(OrgSettings.DEFAULTS.withAudiencePolicy(given).toConfig());
        stored.put(OrgSettings.ALLOWED_AUDIENCES, List.of("api", "https://vault.*.example.com", "sts.amazonaws.com"));
        assertThat(OrgSettings.of(stored).audiencePolicy(), is(given));

        stored.put(OrgSettings.ALLOWED_AUDIENCES, List.of("api", "vault"));
        assertThat("edited by hand: the values as they are", OrgSettings.of(stored).audiencePolicy().patterns(),
                is(List.of("api", "vault")));
    }

    @Test
    void anOrgWithoutStoredSettingsAllowsAnyAudience() {
        AudiencePolicy policy = OrgSettings.of(realm()).audiencePolicy();
        assertThat(policy, is(AudiencePolicy.ANY));
        assertThat(policy.allows("sts.amazonaws.com"), is(true));
    }

    /** Keycloak does not keep an empty list: stored settings without patterns allow none. */
    @ParameterizedTest
    @ValueSource(strings = {"", "caf\u00e9", "tab\there", "-"})
    void brokenAudiencePolicyAllowsNothing(String pattern) {
        Map<String, List<String>> config = config(OrgSettings.TOKEN_LIFETIME, "600");
        if (!pattern.equals("-")) {
            config.put(OrgSettings.ALLOWED_AUDIENCES, List.of("*", pattern));
        }
        AudiencePolicy policy = OrgSettings.of(config).audiencePolicy();
        assertThat(policy.allows("sts.amazonaws.com"), is(false));
        assertThat(policy.allows("*"), is(false));
    }

    /** A null value is as broken as any other and must not fail the mint. */
    @Test
    void audiencePolicyHoldingNullAllowsNothing() {
        Map<String, List<String>> config = new HashMap<>();
        config.put(OrgSettings.ALLOWED_AUDIENCES, Arrays.asList("*", null));
        assertThat(OrgSettings.of(config).audiencePolicy(), is(AudiencePolicy.NONE));
    }

    @Test
    void tooManyAudiencePatternsAllowNothing() {
        Map<String, List<String>> config = new HashMap<>();
        config.put(OrgSettings.ALLOWED_AUDIENCES, Collections.nCopies(101, "*"));
        assertThat(OrgSettings.of(config).audiencePolicy(), is(AudiencePolicy.NONE));
    }

    @Test
    void writeToThenOfRoundTrips() {
        OrgSettings settings = new OrgSettings(1800, 120,
                new AudiencePolicy(List.of("sts.amazonaws.com", "https://*.example.com", "quote\"and\\backslash")), 0.25, 45,
                SubjectTemplate.parse("{org_id}:{app_id}:{machine_id}"), "https://fly.io/acme");
        Map<String, String> attributes = new HashMap<>();
        List<ComponentModel> components = new ArrayList<>();
        RealmModel realm = realm(attributes, components);
        assertThat(OrgSettings.isOrg(realm), is(false));
        settings.writeTo(realm);
        assertThat(OrgSettings.isOrg(realm), is(true));
        assertThat(attributes.get(OrgSettings.ORG_MARKER), is("true"));
        Map<String, List<String>> stored = SettingsComponent.find(realm).orElseThrow().getConfig();
        assertThat(stored.get(OrgSettings.TOKEN_LIFETIME), is(List.of("1800")));
        assertThat(stored.get(OrgSettings.NBF_BACKDATE), is(List.of("120")));
        assertThat(stored.get(OrgSettings.MINT_RATE_LIMIT), is(List.of("0.25")));
        assertThat(stored.get(OrgSettings.JWKS_CACHE_SECONDS), is(List.of("45")));
        assertThat(stored.get(OrgSettings.SUBJECT_TEMPLATE), is(List.of("{org_id}:{app_id}:{machine_id}")));
        assertThat(stored.get(OrgSettings.DEFAULT_AUDIENCE), is(List.of("https://fly.io/acme")));
        assertThat(OrgSettings.of(realm), is(settings));

        settings.withDefaultAudience(null).writeTo(realm);
        assertThat("one settings component", components.size(), is(1));
        assertThat("no default audience of its own: no value",
                SettingsComponent.find(realm).orElseThrow().getConfig().containsKey(OrgSettings.DEFAULT_AUDIENCE), is(false));
        assertThat(OrgSettings.of(realm).defaultAudience(), is(nullValue()));
    }

    /** An org upgraded in place from when settings were realm attributes mints with them until its first save. */
    @Test
    void anOrgWithoutTheComponentReadsItsOldAttributesUntilItSaves() {
        RealmModel upgraded = realm(OrgSettings.ORG_MARKER, "true",
                "machine-oidc.token-lifetime", "1800",
                "machine-oidc.nbf-backdate", "30",
                "machine-oidc.allowed-audiences", "[\"vault\",\"sts.amazonaws.com\"]",
                "machine-oidc.mint-rate-limit", "2.5",
                "machine-oidc.jwks-cache-seconds", "60",
                "machine-oidc.subject-template", "{org}:{machine_id}",
                "machine-oidc.default-audience", "vault");
        OrgSettings old = OrgSettings.of(upgraded);
        assertThat(old, is(new OrgSettings(1800, 30, new AudiencePolicy(List.of("vault", "sts.amazonaws.com")), 2.5, 60,
                SubjectTemplate.parse("{org}:{machine_id}"), "vault")));

        old.withTokenLifetime(900).writeTo(upgraded);
        assertThat("the save went to the component, and the component now decides",
                OrgSettings.of(upgraded), is(old.withTokenLifetime(900)));
        assertThat(SettingsComponent.find(upgraded).orElseThrow().getConfig().get(OrgSettings.TOKEN_LIFETIME), is(List.of("900")));
    }

    @Test
    void oldAttributesBrokenByHandFallBackLikeStoredSettings() {
        OrgSettings read = OrgSettings.of(realm(OrgSettings.ORG_MARKER, "true",
                "machine-oidc.token-lifetime", "forever", "machine-oidc.allowed-audiences", "[not json"));
        assertThat(read.tokenLifetimeSeconds(), is(OrgSettings.DEFAULT_TOKEN_LIFETIME));
        assertThat("an unreadable list allows nothing rather than everything", read.audiencePolicy(), is(AudiencePolicy.NONE));
        assertThat("no settings anywhere: the defaults", OrgSettings.of(realm(OrgSettings.ORG_MARKER, "true")), is(OrgSettings.DEFAULTS));
    }

    @Test
    void emptyPolicyRoundTripsAsAllowNothing() {
        RealmModel realm = realm();
        OrgSettings.DEFAULTS.withAudiencePolicy(AudiencePolicy.NONE).writeTo(realm);
        assertThat(SettingsComponent.find(realm).orElseThrow().getConfig().containsKey(OrgSettings.ALLOWED_AUDIENCES), is(false));
        assertThat(OrgSettings.of(realm).audiencePolicy(), is(AudiencePolicy.NONE));
    }

    @Test
    void defaultsRoundTrip() {
        RealmModel realm = realm();
        OrgSettings.DEFAULTS.writeTo(realm);
        assertThat(SettingsComponent.find(realm).orElseThrow().getConfig().get(OrgSettings.ALLOWED_AUDIENCES), is(List.of("*")));
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
        assertThat(OrgSettings.of(config(OrgSettings.JWKS_CACHE_SECONDS, raw)).jwksCacheSeconds(), is(300));
    }

    @Test
    void loweringTheLifetimeOrCacheTimeRemembersUntilWhenTheOldValueMatters() {
        Map<String, String> attributes = new HashMap<>();
        RealmModel realm = realm(attributes, new ArrayList<>());
        Instant created = Instant.parse("2026-11-30T00:00:00Z");
        OrgSettings first = OrgSettings.DEFAULTS.withTokenLifetime(3600);
        first.recordLoweredFrom(first, realm, created);
        assertThat("nothing lowered, nothing to remember", Lingering.TOKEN_LIFETIME.until(realm), is(Optional.empty()));

        Instant lowered = created.plusSeconds(100);
        OrgSettings.DEFAULTS.withTokenLifetime(60).withJwksCacheSeconds(10).recordLoweredFrom(first, realm, lowered);

        assertThat(Lingering.TOKEN_LIFETIME.until(realm), is(Optional.of(lowered.plusSeconds(3600))));
        assertThat(Lingering.JWKS_CACHE.until(realm), is(Optional.of(lowered.plusSeconds(300))));
        assertThat(attributes.get(Lingering.TOKEN_LIFETIME.attribute()), is(Long.toString(lowered.plusSeconds(3600).getEpochSecond())));
    }

    @Test
    void raisingOrAShorterLaterLoweringKeepsTheLatestRecord() {
        RealmModel realm = realm();
        Instant start = Instant.parse("2026-11-30T00:00:00Z");
        OrgSettings.DEFAULTS.withTokenLifetime(600).recordLoweredFrom(OrgSettings.DEFAULTS.withTokenLifetime(3600), realm,
                start.plusSeconds(10));
        OrgSettings.DEFAULTS.withTokenLifetime(1200).recordLoweredFrom(OrgSettings.DEFAULTS.withTokenLifetime(600), realm,
                start.plusSeconds(20));
        OrgSettings.DEFAULTS.withTokenLifetime(60).recordLoweredFrom(OrgSettings.DEFAULTS.withTokenLifetime(1200), realm,
                start.plusSeconds(30));

        assertThat("3600 s from the first lowering outlasts 1200 s from the second",
                Lingering.TOKEN_LIFETIME.until(realm), is(Optional.of(start.plusSeconds(3610))));
        assertThat("the cache time never changed", Lingering.JWKS_CACHE.until(realm), is(Optional.empty()));
    }
}
