package dev.machineoidc.keycloak.console;

import dev.machineoidc.keycloak.keys.RotationKey;
import dev.machineoidc.keycloak.org.AudiencePolicy;
import dev.machineoidc.keycloak.org.OrgSettings;
import dev.machineoidc.keycloak.subject.SubjectTemplate;
import org.keycloak.common.util.MultivaluedHashMap;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

import static dev.machineoidc.keycloak.org.OrgSettings.ALLOWED_AUDIENCES;
import static dev.machineoidc.keycloak.org.OrgSettings.DEFAULT_AUDIENCE;
import static dev.machineoidc.keycloak.org.OrgSettings.JWKS_CACHE_SECONDS;
import static dev.machineoidc.keycloak.org.OrgSettings.MINT_RATE_LIMIT;
import static dev.machineoidc.keycloak.org.OrgSettings.NBF_BACKDATE;
import static dev.machineoidc.keycloak.org.OrgSettings.SUBJECT_TEMPLATE;
import static dev.machineoidc.keycloak.org.OrgSettings.TOKEN_LIFETIME;

/**
 * The Machine identity tab's form as the admin console loads and saves it: the config of the org's
 * {@link dev.machineoidc.keycloak.org.SettingsComponent}, which is where the settings are stored, plus two read-only
 * fields (the issuer and the signing keys) brought up to date on every save.
 */
final class SettingsForm {

    static final String ISSUER = "issuer";
    /** Read-only: the URL of the org's Apps and machines view. */
    static final String APPS_AND_MACHINES = "apps_and_machines";
    /** Read-only: one line per signing key, its state and times. */
    static final String SIGNING_KEYS = "signing_keys";
    /** A rotation phase to run on save; never stored, so the form always loads with {@link #NO_ROTATION_STEP}. */
    static final String KEY_ROTATION_STEP = "key_rotation_step";
    static final String NO_ROTATION_STEP = "none";
    static final List<String> ROTATION_STEPS = List.of(NO_ROTATION_STEP, "prepare", "activate", "retire");

    /**
     * What the form shows where its component has no value: its fields' default values (issuer and audiences have
     * none). That is the whole form before the tab has a component, and a field added since the component was saved.
     */
    static final Map<String, List<String>> SHOWN_WITHOUT_COMPONENT = Map.of(
            TOKEN_LIFETIME, List.of(Integer.toString(OrgSettings.DEFAULT_TOKEN_LIFETIME)),
            NBF_BACKDATE, List.of(Integer.toString(OrgSettings.DEFAULTS.nbfBackdateSeconds())),
            MINT_RATE_LIMIT, List.of(OrgSettings.formatRate(OrgSettings.DEFAULT_MINT_RATE_LIMIT)),
            JWKS_CACHE_SECONDS, List.of(Integer.toString(OrgSettings.DEFAULT_JWKS_CACHE_SECONDS)),
            SUBJECT_TEMPLATE, List.of(SubjectTemplate.DEFAULT_SOURCE));

    private static final Pattern WHOLE_NUMBER = Pattern.compile("[0-9]{1,9}");
    /** Digits with an optional fraction: what a rate looks like in the form (no sign, exponent, NaN or Infinity). */
    private static final Pattern DECIMAL = Pattern.compile("[0-9]{1,9}(\\.[0-9]{1,9})?");

    private SettingsForm() {
    }

    /** The config that stores these settings and shows this issuer and these signing keys. */
    static MultivaluedHashMap<String, String> form(OrgSettings settings, String issuer, List<RotationKey> keys) {
        MultivaluedHashMap<String, String> config = settings.toConfig();
        if (issuer != null) {
            config.putSingle(ISSUER, issuer);
        }
        if (!keys.isEmpty()) {
            config.put(SIGNING_KEYS, keys.stream().map(SettingsForm::keyLine).collect(Collectors.toCollection(ArrayList::new)));
        }
        return config;
    }

    /** The rotation phase a save asks for, if any. */
    static Optional<String> rotationStep(Map<String, List<String>> submitted) {
        String step = first(submitted, KEY_ROTATION_STEP).orElse(NO_ROTATION_STEP);
        if (!ROTATION_STEPS.contains(step)) {
            throw new IllegalArgumentException("the key rotation step must be one of " + ROTATION_STEPS + ", not '" + step + "'");
        }
        return Optional.of(step).filter(chosen -> !chosen.equals(NO_ROTATION_STEP));
    }

    private static String keyLine(RotationKey key) {
        StringBuilder line = new StringBuilder(key.kid()).append(": ").append(key.state().json());
        if (key.createdAt() != null) {
            line.append(", created ").append(key.createdAt());
        }
        if (key.activateAfter() != null) {
            line.append(", may be activated from ").append(key.activateAfter());
        }
        if (key.retireAfter() != null) {
            line.append(", may be retired from ").append(key.retireAfter());
        }
        return line.toString();
    }

    /**
     * The settings a save asks for. The console sends every field, also those the admin left alone, so a field counts
     * as changed only where it differs from what the form was loaded from (the stored config, or the defaults before
     * there is one); the others keep the realm's current value. A form that was behind the realm, such as the defaults
     * shown before the tab's first save, thus never reverts settings the admin did not touch.
     *
     * @param submitted the config the console sent (blank values already dropped by Keycloak)
     * @param shown     the config the form was loaded from
     * @param current   the org's settings now
     * @throws IllegalArgumentException with a message for the admin, when a field is malformed or out of range
     */
    static OrgSettings settingsToSave(Map<String, List<String>> submitted, Map<String, List<String>> shown, OrgSettings current) {
        Map<String, List<String>> loaded = new HashMap<>(SHOWN_WITHOUT_COMPONENT);
        loaded.putAll(shown);
        int lifetime = pick(wholeNumber(submitted, TOKEN_LIFETIME, "the token lifetime"),
                lenient(loaded, TOKEN_LIFETIME, WHOLE_NUMBER).map(Integer::valueOf), current.tokenLifetimeSeconds());
        int backdate = pick(wholeNumber(submitted, NBF_BACKDATE, "the nbf backdate"),
                lenient(loaded, NBF_BACKDATE, WHOLE_NUMBER).map(Integer::valueOf), current.nbfBackdateSeconds());
        double rate = pick(rate(submitted), lenient(loaded, MINT_RATE_LIMIT, DECIMAL).map(Double::valueOf),
                current.mintRateLimit());
        int jwksCache = pick(wholeNumber(submitted, JWKS_CACHE_SECONDS, "the JWKS cache time"),
                lenient(loaded, JWKS_CACHE_SECONDS, WHOLE_NUMBER).map(Integer::valueOf), current.jwksCacheSeconds());
        Set<String> audiences = audiences(submitted);
        AudiencePolicy policy = audiences.equals(audiences(shown))
                ? current.audiencePolicy()
                : new AudiencePolicy(List.copyOf(audiences));
        String template = pick(first(submitted, SUBJECT_TEMPLATE)
                        .orElseThrow(() -> new IllegalArgumentException("the subject template is required")),
                first(loaded, SUBJECT_TEMPLATE), current.subjectTemplate().source());
        // An unchanged template is kept as it is, even one stored invalid; a changed one must parse.
        SubjectTemplate subject = template.equals(current.subjectTemplate().source())
                ? current.subjectTemplate()
                : SubjectTemplate.parse(template);
        OrgSettings settings = new OrgSettings(lifetime, backdate, policy, rate, jwksCache, subject,
                current.defaultAudience());
        Optional<String> audience = first(submitted, DEFAULT_AUDIENCE);
        return audience.equals(first(shown, DEFAULT_AUDIENCE))
                ? settings
                : settings.withDefaultAudience(audience.orElse(null));
    }

    static Optional<String> issuer(Map<String, List<String>> config) {
        return first(config, ISSUER);
    }

    private static <T> T pick(T submitted, Optional<T> shown, T current) {
        return shown.isPresent() && shown.get().equals(submitted) ? current : submitted;
    }

    private static int wholeNumber(Map<String, List<String>> config, String key, String what) {
        String value = first(config, key)
                .orElseThrow(() -> new IllegalArgumentException(what + " is required"));
        if (!WHOLE_NUMBER.matcher(value).matches()) {
            throw new IllegalArgumentException(what + " must be a whole number of seconds, not '" + value + "'");
        }
        return Integer.parseInt(value);
    }

    private static double rate(Map<String, List<String>> config) {
        String value = first(config, MINT_RATE_LIMIT)
                .orElseThrow(() -> new IllegalArgumentException("the mint rate limit is required"));
        if (!DECIMAL.matcher(value).matches()) {
            throw new IllegalArgumentException("the mint rate limit must be a number of tokens per second such as 10 or 0.5, "
                    + "not '" + value + "'");
        }
        return Double.parseDouble(value);
    }

    private static Optional<String> lenient(Map<String, List<String>> config, String key, Pattern valid) {
        return first(config, key).filter(value -> valid.matcher(value).matches());
    }

    /** The audience patterns, trimmed, without blanks and duplicates; a missing key is an empty list. */
    private static Set<String> audiences(Map<String, List<String>> config) {
        Set<String> patterns = new LinkedHashSet<>();
        config.getOrDefault(ALLOWED_AUDIENCES, List.of()).stream()
                .filter(Objects::nonNull).map(String::trim).filter(value -> !value.isEmpty())
                .forEach(patterns::add);
        return patterns;
    }

    private static Optional<String> first(Map<String, List<String>> config, String key) {
        return config.getOrDefault(key, List.of()).stream()
                .filter(Objects::nonNull).map(String::trim).filter(value -> !value.isEmpty())
                .findFirst();
    }
}
