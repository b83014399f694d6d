package dev.machineoidc.keycloak.console;

import dev.machineoidc.keycloak.keys.RotationKey;
import dev.machineoidc.keycloak.org.AudiencePolicy;
import dev.machineoidc.keycloak.org.OrgSettings;
import dev.machineoidc.keycloak.subject.SubjectTemplate;
import org.keycloak.common.util.MultivaluedHashMap;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * The Machine identity tab's form as the admin console keeps it, in the config of the tab's component: a mirror of the
 * org settings (the realm attributes, which are what minting reads) plus the issuer, for reference. Keys are the
 * admin REST API's field names.
 */
final class SettingsForm {

    static final String ISSUER = "issuer";
    static final String TOKEN_LIFETIME = "token_lifetime";
    static final String NBF_BACKDATE = "nbf_backdate";
    static final String ALLOWED_AUDIENCES = "allowed_audiences";
    static final String MINT_RATE_LIMIT = "mint_rate_limit";
    static final String JWKS_CACHE_SECONDS = "jwks_cache_seconds";
    /** Read-only: one line per signing key, its state and times. */
    static final String SIGNING_KEYS = "signing_keys";
    /** A rotation phase to run on save; never stored, so the form always loads with {@link #NO_ROTATION_STEP}. */
    static final String KEY_ROTATION_STEP = "key_rotation_step";
    static final String NO_ROTATION_STEP = "none";
    static final List<String> ROTATION_STEPS = List.of(NO_ROTATION_STEP, "prepare", "activate", "retire");
    static final String SUBJECT_TEMPLATE = "subject_template";
    /** Blank while the default audience is the issuer: a copy of the issuer would go stale when the form is imported elsewhere. */
    static final String DEFAULT_AUDIENCE = "default_audience";

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

    /**
     * The config that makes the form show these settings, this issuer and these signing keys. An empty audience list
     * is left out.
     */
    static MultivaluedHashMap<String, String> mirror(OrgSettings settings, String issuer, List<RotationKey> keys) {
        MultivaluedHashMap<String, String> config = new MultivaluedHashMap<>();
        if (issuer != null) {
            config.putSingle(ISSUER, issuer);
        }
        config.putSingle(TOKEN_LIFETIME, Integer.toString(settings.tokenLifetimeSeconds()));
        config.putSingle(NBF_BACKDATE, Integer.toString(settings.nbfBackdateSeconds()));
        if (!settings.audiencePolicy().patterns().isEmpty()) {
            config.put(ALLOWED_AUDIENCES, new ArrayList<>(settings.audiencePolicy().patterns()));
        }
        config.putSingle(MINT_RATE_LIMIT, OrgSettings.formatRate(settings.mintRateLimit()));
        config.putSingle(JWKS_CACHE_SECONDS, Integer.toString(settings.jwksCacheSeconds()));
        if (!keys.isEmpty()) {
            config.put(SIGNING_KEYS, keys.stream().map(SettingsForm::keyLine).collect(Collectors.toCollection(ArrayList::new)));
        }
        config.putSingle(SUBJECT_TEMPLATE, settings.subjectTemplate().source());
        if (settings.defaultAudience() != null) {
            config.putSingle(DEFAULT_AUDIENCE, settings.defaultAudience());
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

    /** Whether two configs show the same form, regardless of the order of values and of keys the form does not have. */
    static boolean sameForm(Map<String, List<String>> a, Map<String, List<String>> b) {
        return normalized(a).equals(normalized(b));
    }

    /**
     * The settings a save asks for. The console sends every field, also those the admin left alone, so a field counts
     * as changed only where it differs from what the form was loaded from (the stored mirror, or the defaults before
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

    /** The settings a mirror holds; the mirror is what {@link #mirror} wrote, so anything else is a bug. */
    static OrgSettings settingsOf(Map<String, List<String>> mirror) {
        return new OrgSettings(wholeNumber(mirror, TOKEN_LIFETIME, "the token lifetime"),
                wholeNumber(mirror, NBF_BACKDATE, "the nbf backdate"),
                new AudiencePolicy(List.copyOf(audiences(mirror))),
                rate(mirror),
                wholeNumber(mirror, JWKS_CACHE_SECONDS, "the JWKS cache time"),
                SubjectTemplate.stored(first(mirror, SUBJECT_TEMPLATE).orElse(null)),
                first(mirror, DEFAULT_AUDIENCE).orElse(null));
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

    private static Map<String, Set<String>> normalized(Map<String, List<String>> config) {
        Map<String, Set<String>> form = new LinkedHashMap<>();
        for (String key : List.of(ISSUER, TOKEN_LIFETIME, NBF_BACKDATE, MINT_RATE_LIMIT, JWKS_CACHE_SECONDS, SUBJECT_TEMPLATE,
                DEFAULT_AUDIENCE)) {
            form.put(key, first(config, key).map(Set::of).orElse(Set.of()));
        }
        form.put(ALLOWED_AUDIENCES, audiences(config));
        form.put(SIGNING_KEYS, new LinkedHashSet<>(config.getOrDefault(SIGNING_KEYS, List.of())));
        return form;
    }
}
