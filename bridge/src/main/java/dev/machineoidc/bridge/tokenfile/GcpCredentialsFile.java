package dev.machineoidc.bridge.tokenfile;

import dev.machineoidc.bridge.config.GcpCredentials;
import dev.machineoidc.bridge.files.AtomicFiles;
import dev.machineoidc.bridge.files.FileAccess;
import dev.machineoidc.bridge.json.JsonWriter;
import java.io.IOException;

/**
 * The {@code external_account} credential configuration for {@code GOOGLE_APPLICATION_CREDENTIALS}: the fields, order
 * and values that {@code gcloud iam workload-identity-pools create-cred-config --credential-source-file=…} writes, so
 * that Google's client libraries exchange the token file's content at Google's STS (and impersonate the service
 * account, when there is one). It does not change while the bridge runs: written once, at start.
 */
public final class GcpCredentialsFile {

    static final String SUBJECT_TOKEN_TYPE = "urn:ietf:params:oauth:token-type:jwt";
    static final String TOKEN_URL = "https://sts.googleapis.com/v1/token";
    static final String IMPERSONATION_URL = "https://iamcredentials.googleapis.com/v1/projects/-/serviceAccounts/%s"
            + ":generateAccessToken";

    private GcpCredentialsFile() {
    }

    /** Replaces the configuration atomically, with the token file's mode and group. */
    public static void write(GcpCredentials credentials, FileAccess access) throws IOException {
        AtomicFiles.write(credentials.credentialsFile(), render(credentials), access);
    }

    static byte[] render(GcpCredentials credentials) {
        return JsonWriter.bytes(json -> {
            json.writeStartObject();
            json.writeStringField("type", "external_account");
            json.writeStringField("audience", credentials.audience());
            json.writeStringField("subject_token_type", SUBJECT_TOKEN_TYPE);
            json.writeStringField("token_url", TOKEN_URL);
            json.writeObjectFieldStart("credential_source");
            // Absolute: the libraries resolve a relative path against the workload's directory, not the bridge's.
            json.writeStringField("file", credentials.tokenFile().toAbsolutePath().normalize().toString());
            json.writeEndObject();
            if (credentials.serviceAccount().isPresent()) {
                json.writeStringField("service_account_impersonation_url",
                        IMPERSONATION_URL.formatted(credentials.serviceAccount().get()));
            }
            json.writeEndObject();
        });
    }
}
