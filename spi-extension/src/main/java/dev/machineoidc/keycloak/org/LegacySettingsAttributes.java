package dev.machineoidc.keycloak.org;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.keycloak.models.RealmModel;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Where org settings were stored before the Machine identity tab's component: realm attributes. Read only, for an
 * org upgraded in place that has not saved its settings since; its first save moves them to the component.
 */
final class LegacySettingsAttributes {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Map<String, String> KEYS = Map.of(
            "machine-oidc.token-lifetime", OrgSettings.TOKEN_LIFETIME,
            "machine-oidc.nbf-backdate", OrgSettings.NBF_BACKDATE,
            "machine-oidc.mint-rate-limit", OrgSettings.MINT_RATE_LIMIT,
            "machine-oidc.jwks-cache-seconds", OrgSettings.JWKS_CACHE_SECONDS,
            "machine-oidc.subject-template", OrgSettings.SUBJECT_TEMPLATE,
            "machine-oidc.default-audience", OrgSettings.DEFAULT_AUDIENCE);
    private static final String ALLOWED_AUDIENCES = "machine-oidc.allowed-audiences";

    private LegacySettingsAttributes() {
    }

    /** The attributes as settings config; a value that does not read is left out, so its default applies. */
    static Map<String, List<String>> config(RealmModel realm) {
        Map<String, List<String>> config = new LinkedHashMap<>();
        KEYS.forEach((attribute, key) -> {
            String value = realm.getAttribute(attribute);
            if (value != null) {
                config.put(key, List.of(value));
            }
        });
        String audiences = realm.getAttribute(ALLOWED_AUDIENCES);
        if (audiences != null) {
            try {
                List<String> patterns = JSON.readValue(audiences, new TypeReference<List<String>>() { });
                config.put(OrgSettings.ALLOWED_AUDIENCES, patterns);
                config.put(OrgSettings.AUDIENCE_ORDER, List.of(String.join("\n", patterns)));
            } catch (JsonProcessingException | IllegalArgumentException e) {
                // Broken by hand: no list, which allows no audience, as a broken stored list does.
            }
        }
        return config;
    }
}
