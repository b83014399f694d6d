package dev.machineoidc.bridge.config;

import dev.machineoidc.bridge.mint.Audience;
import java.nio.file.Path;
import java.util.Objects;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * GCP workload identity federation: a token file for the provider's audience and, beside it, the
 * {@code external_account} credential configuration that points Google's client libraries at it.
 *
 * @param audience the provider's full resource name, {@code //iam.googleapis.com/projects/…/providers/…}: both the
 *     STS audience of the configuration and the {@code aud} of the tokens (a provider without allowed audiences of
 *     its own accepts exactly that)
 * @param serviceAccount the email of a service account to impersonate, if any
 * @param dir where {@code gcp_token} and {@code gcp_credentials.json} are written
 */
public record GcpCredentials(String audience, Optional<String> serviceAccount, Path dir) {

    public static final String TOKEN_FILE_NAME = "gcp_token";
    public static final String CREDENTIALS_FILE_NAME = "gcp_credentials.json";

    /** Linear to match: no nested quantifiers. Service account emails are {@code name@project.iam.gserviceaccount.com}. */
    private static final Pattern EMAIL = Pattern.compile("[A-Za-z0-9._%+-]{1,128}@[A-Za-z0-9.-]{1,253}");

    public GcpCredentials {
        if (!Audience.isValid(audience)) {
            throw new IllegalArgumentException("GCP audience must be 1-" + Audience.MAX_LENGTH
                    + " printable ASCII characters");
        }
        Objects.requireNonNull(serviceAccount, "serviceAccount");
        serviceAccount.ifPresent(email -> {
            if (email.length() > 254 || !EMAIL.matcher(email).matches()) {
                throw new IllegalArgumentException("GCP service account must be an email address like "
                        + "name@project.iam.gserviceaccount.com");
            }
        });
        Objects.requireNonNull(dir, "dir");
    }

    public Path tokenFile() {
        return dir.resolve(TOKEN_FILE_NAME);
    }

    public Path credentialsFile() {
        return dir.resolve(CREDENTIALS_FILE_NAME);
    }
}
