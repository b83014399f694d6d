package dev.machineoidc.keycloak.config;

import java.net.URI;
import java.net.URISyntaxException;
import java.util.Optional;

/**
 * Deployment options, the same on every node of a cluster.
 *
 * @param issuerBaseUrl             when present, tokens carry {@code iss = <base>/<org>}; otherwise Keycloak's realm issuer
 * @param enrollmentLifetimeSeconds how long a one-time enrollment token stays usable
 * @param nativeSigning             whether mints sign with AWS-LC (through ACCP) when its native library loads
 * @param metricsOrgTag             whether the extension's metrics carry the org's name as a tag
 */
public record MachineOidcConfig(Optional<String> issuerBaseUrl, int enrollmentLifetimeSeconds, boolean nativeSigning,
                                boolean metricsOrgTag) {

    public static final String ISSUER_BASE_URL = "issuer-base-url";
    public static final String ENROLLMENT_LIFETIME = "enrollment-token-lifetime";
    public static final int DEFAULT_ENROLLMENT_LIFETIME = 600;
    public static final String NATIVE_SIGNING = "native-signing";
    public static final boolean DEFAULT_NATIVE_SIGNING = true;
    public static final String METRICS_ORG_TAG = "metrics-org-tag";

    public MachineOidcConfig {
        issuerBaseUrl = issuerBaseUrl.map(MachineOidcConfig::normalise);
        if (enrollmentLifetimeSeconds < 1) {
            throw new IllegalArgumentException(ENROLLMENT_LIFETIME + " must be a positive number of seconds");
        }
    }

    private static String normalise(String url) {
        String trimmed = url.trim().replaceAll("/+$", "");
        URI uri;
        try {
            uri = new URI(trimmed);
        } catch (URISyntaxException e) {
            throw new IllegalArgumentException(ISSUER_BASE_URL + " is not a URL: '" + url + "'");
        }
        if (!("https".equals(uri.getScheme()) || "http".equals(uri.getScheme())) || uri.getHost() == null
                || uri.getQuery() != null || uri.getFragment() != null) {
            throw new IllegalArgumentException(ISSUER_BASE_URL + " must be an absolute http(s) URL without query or fragment, got '" + url + "'");
        }
        return trimmed;
    }
}
