package dev.machineoidc.keycloak.console;

import dev.machineoidc.keycloak.keys.KeyState;
import dev.machineoidc.keycloak.keys.RotationKey;
import dev.machineoidc.keycloak.org.AudiencePolicy;
import dev.machineoidc.keycloak.org.OrgSettings;
import dev.machineoidc.keycloak.subject.SubjectTemplate;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.time.Instant;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import static dev.machineoidc.keycloak.console.SettingsForm.ISSUER;
import static dev.machineoidc.keycloak.console.SettingsForm.KEY_ROTATION_STEP;
import static dev.machineoidc.keycloak.console.SettingsForm.SIGNING_KEYS;
import static dev.machineoidc.keycloak.org.OrgSettings.ALLOWED_AUDIENCES;
import static dev.machineoidc.keycloak.org.OrgSettings.DEFAULT_AUDIENCE;
import static dev.machineoidc.keycloak.org.OrgSettings.JWKS_CACHE_SECONDS;
import static dev.machineoidc.keycloak.org.OrgSettings.MINT_RATE_LIMIT;
import static dev.machineoidc.keycloak.org.OrgSettings.NBF_BACKDATE;
import static dev.machineoidc.keycloak.org.OrgSettings.SUBJECT_TEMPLATE;
import static dev.machineoidc.keycloak.org.OrgSettings.TOKEN_LIFETIME;
import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.is;
import static org.hamcrest.Matchers.nullValue;
import static org.junit.jupiter.api.Assertions.assertThrows;

class SettingsFormTest {

    private static final OrgSettings CURRENT = new OrgSettings(900, 30, new AudiencePolicy(List.of("sts.amazonaws.com", "vault")), 2.5, 60,
            SubjectTemplate.parse("{org_id}:{app_id}:{machine_id}"), "https://fly.io/acme");
    private static final Map<String, List<String>> SHOWN = SettingsForm.form(CURRENT, "https://oidc.example.com/acme", List.of());

    @Test
    void theFormHoldsTheSettingsAndTheIssuer() {
        assertThat(SHOWN, is(Map.of(ISSUER, List.of("https://oidc.example.com/acme"), TOKEN_LIFETIME, List.of("900"),
                NBF_BACKDATE, List.of("30"), ALLOWED_AUDIENCES, List.of("sts.amazonaws.com", "vault"),
                OrgSettings.AUDIENCE_ORDER, List.of("sts.amazonaws.com\nvault"),
                MINT_RATE_LIMIT, List.of("2.5"), JWKS_CACHE_SECONDS, List.of("60"),
                SUBJECT_TEMPLATE, List.of("{org_id}:{app_id}:{machine_id}"), DEFAULT_AUDIENCE, List.of("https://fly.io/acme"))));
        assertThat(OrgSettings.of(SHOWN), is(CURRENT));
    }

    /** Blank, not a copy of the issuer, which would go stale in an export imported under another issuer. */
    @Test
    void theIssuerAsDefaultAudienceIsLeftBlank() {
        Map<String, List<String>> mirror = SettingsForm.form(CURRENT.withDefaultAudience(null), "https://oidc.example.com/acme", List.of());

        assertThat(mirror.containsKey(DEFAULT_AUDIENCE), is(false));
        assertThat(OrgSettings.of(mirror).defaultAudience(), is(nullValue()));
    }

    @Test
    void aChangedSubjectTemplateIsTakenAndAnInvalidOneRefused() {
        assertThat(SettingsForm.settingsToSave(with(SHOWN, SUBJECT_TEMPLATE, "{org}:{app}"), SHOWN, CURRENT).subjectTemplate(),
                is(SubjectTemplate.parse("{org}:{app}")));
        IllegalArgumentException refused = assertThrows(IllegalArgumentException.class,
                () -> SettingsForm.settingsToSave(with(SHOWN, SUBJECT_TEMPLATE, "{org}:{application}"), SHOWN, CURRENT));
        assertThat(refused.getMessage(), is("the subject template has an unknown placeholder {application}; known are "
                + "{org}, {app}, {machine}, {org_id}, {app_id}, {machine_id}, {region}"));
        Map<String, List<String>> blank = new HashMap<>(SHOWN);
        blank.remove(SUBJECT_TEMPLATE);
        assertThat(assertThrows(IllegalArgumentException.class, () -> SettingsForm.settingsToSave(blank, SHOWN, CURRENT))
                .getMessage(), is("the subject template is required"));
    }

    /** A template stored invalid (by hand) does not block saving the other fields; it stays until someone changes it. */
    @Test
    void anUnchangedInvalidStoredTemplateIsKept() {
        OrgSettings broken = CURRENT.withSubjectTemplate(SubjectTemplate.stored("{org}"));
        Map<String, List<String>> shown = SettingsForm.form(broken, null, List.of());

        OrgSettings saved = SettingsForm.settingsToSave(with(shown, TOKEN_LIFETIME, "1234"), shown, broken);

        assertThat(saved, is(broken.withTokenLifetime(1234)));
        assertThat(OrgSettings.of(SettingsForm.form(saved, null, List.of())), is(saved));
    }

    @Test
    void theDefaultAudienceIsSetChangedAndClearedBackToTheIssuer() {
        Map<String, List<String>> cleared = new HashMap<>(SHOWN);
        cleared.remove(DEFAULT_AUDIENCE);
        OrgSettings changedElsewhere = CURRENT.withDefaultAudience("vault");

        assertThat(SettingsForm.settingsToSave(with(SHOWN, DEFAULT_AUDIENCE, "sts.amazonaws.com"), SHOWN, CURRENT).defaultAudience(),
                is("sts.amazonaws.com"));
        assertThat(SettingsForm.settingsToSave(cleared, SHOWN, CURRENT).defaultAudience(), is(nullValue()));
        assertThat(SettingsForm.settingsToSave(SHOWN, SHOWN, changedElsewhere).defaultAudience(), is("vault"));
        assertThat(assertThrows(IllegalArgumentException.class,
                () -> SettingsForm.settingsToSave(with(SHOWN, DEFAULT_AUDIENCE, "caf\u00e9"), SHOWN, CURRENT)).getMessage(),
                is("the default audience must be 1-256 printable characters"));
    }

    @Test
    void anEmptyAudienceListIsLeftOutAndReadBackAsAllowingNone() {
        Map<String, List<String>> mirror = SettingsForm.form(CURRENT.withAudiencePolicy(AudiencePolicy.NONE), null, List.of());

        assertThat(mirror.containsKey(ALLOWED_AUDIENCES), is(false));
        assertThat(mirror.containsKey(ISSUER), is(false));
        assertThat(OrgSettings.of(mirror).audiencePolicy(), is(AudiencePolicy.NONE));
    }

    @Test
    void aSaveOfTheUnchangedFormChangesNothing() {
        assertThat(SettingsForm.settingsToSave(SHOWN, SHOWN, CURRENT), is(CURRENT));
    }

    @Test
    void changedFieldsAreTakenAndTheOthersKeepWhatChangedElsewhereSinceThePageWasLoaded() {
        OrgSettings changedElsewhere = new OrgSettings(900, 120, AudiencePolicy.ANY, 7, 60, SubjectTemplate.DEFAULT, null);
        Map<String, List<String>> submitted = with(SHOWN, TOKEN_LIFETIME, "1234");

        assertThat(SettingsForm.settingsToSave(submitted, SHOWN, changedElsewhere),
                is(new OrgSettings(1234, 120, AudiencePolicy.ANY, 7, 60, SubjectTemplate.DEFAULT, null)));
    }

    @Test
    void audiencesAreComparedAsASetTrimmedWithoutBlanks() {
        Map<String, List<String>> reordered = with(SHOWN, ALLOWED_AUDIENCES, " vault", "", "sts.amazonaws.com", "vault");
        OrgSettings changedElsewhere = CURRENT.withAudiencePolicy(AudiencePolicy.ANY);

        assertThat(SettingsForm.settingsToSave(reordered, SHOWN, changedElsewhere).audiencePolicy(), is(AudiencePolicy.ANY));
        assertThat(SettingsForm.settingsToSave(with(SHOWN, ALLOWED_AUDIENCES, "*.example.com ", " "), SHOWN, CURRENT).audiencePolicy(),
                is(new AudiencePolicy(List.of("*.example.com"))));
    }

    @Test
    void clearingTheAudiencesAllowsNone() {
        Map<String, List<String>> cleared = new HashMap<>(SHOWN);
        cleared.remove(ALLOWED_AUDIENCES); // Keycloak drops a blank field from the config

        assertThat(SettingsForm.settingsToSave(cleared, SHOWN, CURRENT).audiencePolicy(), is(AudiencePolicy.NONE));
    }

    @Test
    void theIssuerFieldIsNeverASetting() {
        Map<String, List<String>> submitted = with(SHOWN, ISSUER, "https://evil.example.net");

        assertThat(SettingsForm.settingsToSave(submitted, SHOWN, CURRENT), is(CURRENT));
    }

    @Test
    void beforeTheFirstSaveTheFormShowedTheDefaults() {
        Map<String, List<String>> untouched = Map.of(TOKEN_LIFETIME, List.of("600"), NBF_BACKDATE, List.of("0"),
                MINT_RATE_LIMIT, List.of("100"), JWKS_CACHE_SECONDS, List.of("300"), SUBJECT_TEMPLATE, List.of("{org}:{app}:{machine}"));
        Map<String, List<String>> edited = Map.of(TOKEN_LIFETIME, List.of("1234"), NBF_BACKDATE, List.of("0"),
                MINT_RATE_LIMIT, List.of("100"), JWKS_CACHE_SECONDS, List.of("300"), SUBJECT_TEMPLATE, List.of("{org}:{app}:{machine}"));

        assertThat(SettingsForm.settingsToSave(untouched, SettingsForm.SHOWN_WITHOUT_COMPONENT, CURRENT), is(CURRENT));
        assertThat(SettingsForm.settingsToSave(edited, SettingsForm.SHOWN_WITHOUT_COMPONENT, CURRENT), is(CURRENT.withTokenLifetime(1234)));
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "token_lifetime | 59     | the token lifetime must be 60-86400 seconds",
            "token_lifetime | 86401  | the token lifetime must be 60-86400 seconds",
            "token_lifetime | 10m    | the token lifetime must be a whole number of seconds, not '10m'",
            "token_lifetime | -5     | the token lifetime must be a whole number of seconds, not '-5'",
            "nbf_backdate   | 3601   | the nbf backdate must be 0-3600 seconds",
            "nbf_backdate   | 1.5    | the nbf backdate must be a whole number of seconds, not '1.5'",
            "mint_rate_limit | 0     | the mint rate limit must be 0.01-100000 tokens per second, not 0",
            "mint_rate_limit | 0.001 | the mint rate limit must be 0.01-100000 tokens per second, not 0.001",
            "mint_rate_limit | 200000 | the mint rate limit must be 0.01-100000 tokens per second, not 200000",
            "mint_rate_limit | -1    | the mint rate limit must be a number of tokens per second such as 10 or 0.5, not '-1'",
            "mint_rate_limit | 1e3   | the mint rate limit must be a number of tokens per second such as 10 or 0.5, not '1e3'",
            "mint_rate_limit | NaN   | the mint rate limit must be a number of tokens per second such as 10 or 0.5, not 'NaN'",
            "mint_rate_limit | 10/s  | the mint rate limit must be a number of tokens per second such as 10 or 0.5, not '10/s'",
            "jwks_cache_seconds | 86401 | the JWKS cache time must be 0-86400 seconds",
            "jwks_cache_seconds | -1    | the JWKS cache time must be a whole number of seconds, not '-1'"})
    void badValuesAreRefusedWithAMessage(String key, String value, String message) {
        IllegalArgumentException refused = assertThrows(IllegalArgumentException.class,
                () -> SettingsForm.settingsToSave(with(SHOWN, key, value), SHOWN, CURRENT));

        assertThat(refused.getMessage(), is(message));
    }

    @Test
    void aRateWrittenDifferentlyIsTheSameRate() {
        OrgSettings changedElsewhere = CURRENT.withMintRateLimit(40);

        assertThat(SettingsForm.settingsToSave(with(SHOWN, MINT_RATE_LIMIT, "2.50"), SHOWN, changedElsewhere), is(changedElsewhere));
        assertThat(SettingsForm.settingsToSave(with(SHOWN, MINT_RATE_LIMIT, "0.5"), SHOWN, changedElsewhere).mintRateLimit(), is(0.5));
    }

    /** A tab saved before the rate existed: the console showed the field's default, so a default submitted is no change. */
    @Test
    void aFieldTheStoredFormLacksWasShownWithItsDefault() {
        Map<String, List<String>> savedBeforeTheRate = new HashMap<>(SHOWN);
        savedBeforeTheRate.remove(MINT_RATE_LIMIT);
        OrgSettings setThroughTheApi = CURRENT.withMintRateLimit(5);

        assertThat(SettingsForm.settingsToSave(with(savedBeforeTheRate, MINT_RATE_LIMIT, "100"), savedBeforeTheRate, setThroughTheApi),
                is(setThroughTheApi));
        assertThat(SettingsForm.settingsToSave(with(savedBeforeTheRate, MINT_RATE_LIMIT, "20"), savedBeforeTheRate, setThroughTheApi),
                is(setThroughTheApi.withMintRateLimit(20)));
    }

    @Test
    void aMissingNumberIsRefused() {
        Map<String, List<String>> blank = new HashMap<>(SHOWN);
        blank.remove(TOKEN_LIFETIME);

        IllegalArgumentException refused = assertThrows(IllegalArgumentException.class,
                () -> SettingsForm.settingsToSave(blank, SHOWN, CURRENT));

        assertThat(refused.getMessage(), is("the token lifetime is required"));
    }

    @Test
    void aBadAudiencePatternIsRefused() {
        IllegalArgumentException refused = assertThrows(IllegalArgumentException.class,
                () -> SettingsForm.settingsToSave(with(SHOWN, ALLOWED_AUDIENCES, "tab\there"), SHOWN, CURRENT));

        assertThat(refused.getMessage(), is("audience pattern 'tab\there' must be 1-256 printable characters"));
    }

    /** The org's creation and an import store a new component: no pattern in it means none, not the default's any. */
    @Test
    void aNewComponentStartsFromTheEmptyForm() {
        Map<String, List<String>> empty = SettingsForm.SHOWN_WITHOUT_COMPONENT;
        OrgSettings none = OrgSettings.DEFAULTS.withAudiencePolicy(AudiencePolicy.NONE);

        assertThat(SettingsForm.settingsToSave(none.toConfig(), empty, OrgSettings.of(empty)), is(none));
        assertThat(SettingsForm.settingsToSave(OrgSettings.DEFAULTS.toConfig(), empty, OrgSettings.of(empty)), is(OrgSettings.DEFAULTS));
        assertThat(SettingsForm.settingsToSave(CURRENT.toConfig(), empty, OrgSettings.of(empty)), is(CURRENT));
    }

    @Test
    void aChangedJwksCacheTimeIsTakenAndZeroIsAllowed() {
        assertThat(SettingsForm.settingsToSave(with(SHOWN, JWKS_CACHE_SECONDS, "0"), SHOWN, CURRENT), is(CURRENT.withJwksCacheSeconds(0)));
    }

    @Test
    void theSigningKeysAreShownOneLineEachAndAreNeverASetting() {
        Instant created = Instant.parse("2026-11-30T01:00:00Z");
        List<RotationKey> keys = List.of(
                new RotationKey("c2", "kid-2", KeyState.NEXT, created, created.plusSeconds(305), null),
                new RotationKey("c1", "kid-1", KeyState.ACTIVE, null, null, null));

        Map<String, List<String>> mirror = SettingsForm.form(CURRENT, null, keys);

        assertThat(mirror.get(SIGNING_KEYS), is(List.of(
                "kid-2: next, created 2026-11-30T01:00:00Z, may be activated from 2026-11-30T01:05:05Z", "kid-1: active")));
        assertThat(SettingsForm.settingsToSave(with(mirror, SIGNING_KEYS, "kid-9: active"), mirror, CURRENT), is(CURRENT));
        assertThat("the keys are no setting", OrgSettings.of(mirror), is(CURRENT));
    }

    @Test
    void theRotationStepIsOneOfThePhasesOrNone() {
        assertThat(SettingsForm.rotationStep(SHOWN), is(Optional.empty()));
        assertThat(SettingsForm.rotationStep(with(SHOWN, KEY_ROTATION_STEP, "none")), is(Optional.empty()));
        assertThat(SettingsForm.rotationStep(with(SHOWN, KEY_ROTATION_STEP, "activate")), is(Optional.of("activate")));
        IllegalArgumentException refused = assertThrows(IllegalArgumentException.class,
                () -> SettingsForm.rotationStep(with(SHOWN, KEY_ROTATION_STEP, "rotate")));
        assertThat(refused.getMessage(), is("the key rotation step must be one of [none, prepare, activate, retire], not 'rotate'"));
    }

    private static Map<String, List<String>> with(Map<String, List<String>> base, String key, String... values) {
        Map<String, List<String>> copy = new HashMap<>(base);
        copy.put(key, Arrays.asList(values));
        return copy;
    }
}
