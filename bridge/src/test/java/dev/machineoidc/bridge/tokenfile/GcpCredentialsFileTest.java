package dev.machineoidc.bridge.tokenfile;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.equalTo;

import dev.machineoidc.bridge.config.GcpCredentials;
import dev.machineoidc.bridge.files.FileAccess;
import dev.machineoidc.bridge.testing.Groups;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.GroupPrincipal;
import java.nio.file.attribute.PosixFileAttributes;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class GcpCredentialsFileTest {

    private static final String AUDIENCE =
            "//iam.googleapis.com/projects/123456789/locations/global/workloadIdentityPools/fly/providers/oidc";

    @TempDir
    Path dir;

    private static String render(GcpCredentials credentials) {
        return new String(GcpCredentialsFile.render(credentials), StandardCharsets.UTF_8);
    }

    @Test
    void withoutAServiceAccountItIsWhatGcloudWritesForACredentialSourceFile() {
        String json = render(new GcpCredentials(AUDIENCE, Optional.empty(), Path.of("/.fly")));

        assertThat(json, equalTo("{\"type\":\"external_account\","
                + "\"audience\":\"" + AUDIENCE + "\","
                + "\"subject_token_type\":\"urn:ietf:params:oauth:token-type:jwt\","
                + "\"token_url\":\"https://sts.googleapis.com/v1/token\","
                + "\"credential_source\":{\"file\":\"/.fly/gcp_token\"}}"));
    }

    @Test
    void withAServiceAccountItAddsTheImpersonationUrl() {
        String json = render(new GcpCredentials(AUDIENCE, Optional.of("app@project.iam.gserviceaccount.com"),
                Path.of("/run/gcp")));

        assertThat(json, equalTo("{\"type\":\"external_account\","
                + "\"audience\":\"" + AUDIENCE + "\","
                + "\"subject_token_type\":\"urn:ietf:params:oauth:token-type:jwt\","
                + "\"token_url\":\"https://sts.googleapis.com/v1/token\","
                + "\"credential_source\":{\"file\":\"/run/gcp/gcp_token\"},"
                + "\"service_account_impersonation_url\":\"https://iamcredentials.googleapis.com/v1/projects/-/"
                + "serviceAccounts/app@project.iam.gserviceaccount.com:generateAccessToken\"}"));
    }

    @Test
    void theTokenFileIsNamedByItsAbsolutePathAndQuotesAreEscaped() {
        String json = render(new GcpCredentials("aud \"quoted\" \\", Optional.empty(), Path.of("relative/../dir")));

        assertThat(json, equalTo("{\"type\":\"external_account\",\"audience\":\"aud \\\"quoted\\\" \\\\\","
                + "\"subject_token_type\":\"urn:ietf:params:oauth:token-type:jwt\","
                + "\"token_url\":\"https://sts.googleapis.com/v1/token\","
                + "\"credential_source\":{\"file\":\"" + Path.of("dir/gcp_token").toAbsolutePath() + "\"}}"));
    }

    @Test
    void itIsWrittenWithTheTokenFilesModeAndGroup() throws Exception {
        GcpCredentials credentials = new GcpCredentials(AUDIENCE, Optional.empty(), dir.resolve("gcp"));
        GroupPrincipal group = Groups.giveable();

        GcpCredentialsFile.write(credentials, new FileAccess(PosixFilePermissions.fromString("r--r-----"), Optional.of(group)));

        Path file = dir.resolve("gcp/gcp_credentials.json");
        assertThat(Files.readString(file), equalTo(render(credentials)));
        PosixFileAttributes attributes = Files.readAttributes(file, PosixFileAttributes.class);
        assertThat(PosixFilePermissions.toString(attributes.permissions()), equalTo("r--r-----"));
        assertThat(attributes.group(), equalTo(group));
    }
}
