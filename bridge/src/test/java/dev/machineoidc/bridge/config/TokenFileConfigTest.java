package dev.machineoidc.bridge.config;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static dev.machineoidc.bridge.config.ConfigParserTest.REQUIRED;
import static dev.machineoidc.bridge.config.ConfigParserTest.with;

import dev.machineoidc.bridge.files.FileAccess;
import java.io.IOException;
import java.nio.file.FileSystems;
import java.nio.file.Path;
import java.nio.file.attribute.GroupPrincipal;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The token file options: specs, their variable, the ready-made kinds, and every way a spec can be wrong. */
class TokenFileConfigTest {

    private static final FileAccess DEFAULT = FileAccess.OWNER_ONLY;

    private final ConfigParser parser = new ConfigParser();

    private static GroupPrincipal group(String nameOrGid) throws IOException {
        return FileSystems.getDefault().getUserPrincipalLookupService().lookupPrincipalByGroupName(nameOrGid);
    }

    private static FileAccess access(String octal, GroupPrincipal group) {
        return new FileAccess(FileMode.parseOctal(octal), Optional.ofNullable(group));
    }

    private List<TokenFileSpec> files(List<String> args, Map<String, String> env) throws UsageException {
        return parser.parse(args, env).tokenFiles();
    }

    @Test
    void specsAreRepeatableWithTheirOwnModeAndGroupOrTheDefaults() throws Exception {
        List<TokenFileSpec> files = files(with(
                "--token-file", "path=/run/vault/token,aud=vault",
                "--token-file=path=/run/app/token,aud=https://api.example.com,mode=0640,group=0",
                "--token-file", "path=/run/other,aud=other,mode=440"), Map.of());

        assertThat(files, equalTo(List.of(
                new TokenFileSpec(Path.of("/run/vault/token"), "vault", DEFAULT),
                new TokenFileSpec(Path.of("/run/app/token"), "https://api.example.com", access("0640", group("0"))),
                new TokenFileSpec(Path.of("/run/other"), "other", access("0440", null)))));
    }

    @Test
    void theDefaultModeAndGroupApplyToEveryKindAndSpecThatNamesNone() throws Exception {
        List<TokenFileSpec> files = files(with("--token-file-mode", "0640", "--token-file-group", "root",
                        "--token-file", "path=/run/a,aud=a", "--token-file", "path=/run/b,aud=b,mode=0600"),
                Map.of("AWS_ROLE_ARN", "arn:aws:iam::123456789012:role/app"));

        FileAccess shared = access("0640", group("root"));
        assertThat(files, equalTo(List.of(
                new TokenFileSpec(Path.of("/run/a"), "a", shared),
                new TokenFileSpec(Path.of("/run/b"), "b", access("0600", group("root"))),
                new TokenFileSpec(Path.of("/.fly/oidc_token"), "sts.amazonaws.com", shared))));
    }

    @Test
    void theVariableTakesSpecsSeparatedBySemicolons() throws Exception {
        List<TokenFileSpec> files = files(REQUIRED, Map.of(
                "MACHINE_OIDC_TOKEN_FILES", " path=/run/a,aud=a ;; path=/run/b,aud=b,mode=0640;",
                "MACHINE_OIDC_TOKEN_FILE_MODE", "0440",
                "MACHINE_OIDC_TOKEN_FILE_GROUP", "0"));

        assertThat(files, equalTo(List.of(
                new TokenFileSpec(Path.of("/run/a"), "a", access("0440", group("0"))),
                new TokenFileSpec(Path.of("/run/b"), "b", access("0640", group("0"))))));
    }

    @Test
    void flagsReplaceTheVariablesAltogether() throws Exception {
        List<TokenFileSpec> files = files(with("--token-file", "path=/run/flag,aud=flag"), Map.of(
                "MACHINE_OIDC_TOKEN_FILES", "path=/run/env,aud=env",
                "MACHINE_OIDC_TOKEN_FILE", "/run/single"));

        assertThat(files, equalTo(List.of(TokenFileSpec.of(Path.of("/run/flag"), "flag"))));
    }

    @Test
    void awsIsTodaysFileAndASpecComesOnTop() throws Exception {
        Map<String, String> aws = Map.of("AWS_ROLE_ARN", "arn:aws:iam::123456789012:role/app");

        assertThat(files(with("--token-file", "path=/run/vault,aud=vault"), aws), equalTo(List.of(
                TokenFileSpec.of(Path.of("/run/vault"), "vault"),
                TokenFileSpec.of(Path.of("/.fly/oidc_token"), "sts.amazonaws.com"))));
        assertThat("a bare path still replaces the AWS default, for --token-file-audience",
                files(with("--token-file", "/run/token", "--token-file-audience", "sts.example"), aws),
                equalTo(List.of(TokenFileSpec.of(Path.of("/run/token"), "sts.example"))));
        assertThat("a blank role is no role", files(REQUIRED, Map.of("AWS_ROLE_ARN", " ")), equalTo(List.of()));
    }

    @Test
    void azureNeedsBothItsClientAndTenantAndTakesItsFileFromItsVariable() throws Exception {
        Map<String, String> azure = Map.of("AZURE_CLIENT_ID", "11111111-2222-3333-4444-555555555555",
                "AZURE_TENANT_ID", "66666666-7777-8888-9999-000000000000");

        assertThat(files(REQUIRED, azure), equalTo(List.of(
                TokenFileSpec.of(Path.of("/.fly/azure_token"), "api://AzureADTokenExchange"))));
        Map<String, String> withFile = new HashMap<>(azure);
        withFile.put("AZURE_FEDERATED_TOKEN_FILE", "/var/run/azure/token");
        assertThat(files(REQUIRED, withFile), equalTo(List.of(
                TokenFileSpec.of(Path.of("/var/run/azure/token"), "api://AzureADTokenExchange"))));
        assertThat(files(REQUIRED, Map.of("AZURE_CLIENT_ID", "x", "AZURE_FEDERATED_TOKEN_FILE", "/t")),
                equalTo(List.of()));
    }

    @Test
    void gcpKeepsItsTokenFileAndNamesItsConfiguration() throws Exception {
        String audience = "//iam.googleapis.com/projects/123456789/locations/global/workloadIdentityPools/fly/providers/oidc";

        BridgeConfig defaults = parser.parse(with("--gcp-audience", audience), Map.of());
        BridgeConfig fromEnv = parser.parse(REQUIRED, Map.of("MACHINE_OIDC_GCP_AUDIENCE", audience,
                "MACHINE_OIDC_GCP_SERVICE_ACCOUNT", "app@project.iam.gserviceaccount.com",
                "MACHINE_OIDC_GCP_DIR", "/run/gcp"));

        assertThat(defaults.gcp(), equalTo(Optional.of(new GcpCredentials(audience, Optional.empty(), Path.of("/.fly")))));
        assertThat(defaults.tokenFiles(), equalTo(List.of(TokenFileSpec.of(Path.of("/.fly/gcp_token"), audience))));
        GcpCredentials gcp = fromEnv.gcp().orElseThrow();
        assertThat(gcp.serviceAccount(), equalTo(Optional.of("app@project.iam.gserviceaccount.com")));
        assertThat(gcp.tokenFile(), equalTo(Path.of("/run/gcp/gcp_token")));
        assertThat(gcp.credentialsFile(), equalTo(Path.of("/run/gcp/gcp_credentials.json")));
        assertThat(fromEnv.tokenFiles(), equalTo(List.of(TokenFileSpec.of(Path.of("/run/gcp/gcp_token"), audience))));
    }

    @Test
    void everyKindAtOnce() throws Exception {
        BridgeConfig config = parser.parse(with("--token-file", "path=/run/vault,aud=vault", "--gcp-audience", "gcp",
                        "--gcp-dir", "/run/gcp"),
                Map.of("AWS_ROLE_ARN", "arn", "AZURE_CLIENT_ID", "c", "AZURE_TENANT_ID", "t"));

        assertThat(config.tokenFiles().stream().map(file -> file.path() + " " + file.audience()).toList(), equalTo(List.of(
                "/run/vault vault", "/.fly/oidc_token sts.amazonaws.com", "/.fly/azure_token api://AzureADTokenExchange",
                "/run/gcp/gcp_token gcp")));
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
        "unknown key          | path=/t,aud=a,owner=me         | unknown key 'owner' (known: path, aud, mode, group)",
        "key twice            | path=/t,aud=a,aud=b            | aud is given twice",
        "no path              | aud=a                          | path is required",
        "empty path           | path=,aud=a                    | path is required",
        "no aud               | path=/t                        | aud is required",
        "empty aud            | path=/t,aud=                   | aud must be 1-256 printable ASCII characters",
        "not key=value        | path=/t,aud=a,0640             | expected key=value, not '0640'",
        "empty key            | path=/t,=a                     | expected key=value, not '=a'",
        "trailing comma       | path=/t,aud=a,                 | expected key=value, not ''",
        "mode not octal       | path=/t,aud=a,mode=0648        | mode must be octal permission bits",
        "mode with setuid     | path=/t,aud=a,mode=4640        | mode must be octal permission bits",
        "group may write      | path=/t,aud=a,mode=0660        | mode 0660 lets others write the token file",
        "others may write     | path=/t,aud=a,mode=0602        | lets others write",
        "unknown group        | path=/t,aud=a,group=no-such-g  | no such group no-such-g",
        "bare path empty      | ''                             | --token-file: the path is empty",
    })
    void aWrongSpecIsAUsageErrorThatQuotesIt(String name, String spec, String expected) {
        UsageException e = assertThrows(UsageException.class, () -> parser.parse(with("--token-file", spec), Map.of()));

        assertThat(e.getMessage(), containsString(expected));
        if (!spec.isEmpty()) {
            assertThat(e.getMessage(), containsString("--token-file '" + spec + "': "));
        }
    }

    @Test
    void anAudienceFollowsTheSocketApisRule() {
        String tooLong = "a".repeat(257);
        for (String aud : List.of(tooLong, "tab\there", "caf\u00e9")) {
            UsageException e = assertThrows(UsageException.class,
                    () -> parser.parse(with("--token-file", "path=/t,aud=" + aud), Map.of()));
            assertThat(e.getMessage(), containsString("aud must be 1-256 printable ASCII characters"));
        }
        assertThat(assertThrows(UsageException.class, () -> parser.parse(with("--gcp-audience", tooLong), Map.of()))
                .getMessage(), containsString("GCP audience must be 1-256 printable ASCII characters"));
    }

    @Test
    void twoFilesAtOnePathAreRefusedWhicheverKindsTheyAre() {
        Map<String, String> aws = Map.of("AWS_ROLE_ARN", "arn");

        assertThat(usageError(with("--token-file", "path=/run/t,aud=a", "--token-file", "path=/run/../run/t,aud=b"),
                Map.of()), equalTo("token file /run/../run/t is configured twice (aud a and aud b)"));
        assertThat(usageError(with("--token-file", "path=/.fly/oidc_token,aud=vault"), aws),
                equalTo("token file /.fly/oidc_token is configured twice (aud vault and aud sts.amazonaws.com)"));
        assertThat(usageError(REQUIRED, Map.of("AWS_ROLE_ARN", "arn", "AZURE_CLIENT_ID", "c", "AZURE_TENANT_ID", "t",
                        "AZURE_FEDERATED_TOKEN_FILE", "/.fly/oidc_token")),
                containsString("token file /.fly/oidc_token is configured twice"));
        assertThat(usageError(with("--gcp-audience", "gcp", "--token-file", "path=/.fly/gcp_credentials.json,aud=x"),
                Map.of()), equalTo("token file /.fly/gcp_credentials.json would overwrite the GCP credential configuration"));
    }

    @Test
    void gcpOptionsWithoutItsAudienceAndBadServiceAccountsAreRefused() {
        assertThat(usageError(with("--gcp-service-account", "app@p.iam.gserviceaccount.com"), Map.of()),
                equalTo("--gcp-service-account needs --gcp-audience"));
        assertThat(usageError(REQUIRED, Map.of("MACHINE_OIDC_GCP_DIR", "/run/gcp")), equalTo("--gcp-dir needs --gcp-audience"));
        for (String email : List.of("not-an-email", "a@b@c", "a b@c.d", "x".repeat(200) + "@p.iam.gserviceaccount.com")) {
            assertThat(usageError(with("--gcp-audience", "gcp", "--gcp-service-account", email), Map.of()),
                    containsString("GCP service account must be an email address"));
        }
    }

    @Test
    void theDefaultModeAndGroupAreCheckedLikeASpecs() {
        assertThat(usageError(with("--token-file-mode", "0666"), Map.of()), containsString("lets others write"));
        assertThat(usageError(with("--token-file-group", "no-such-g"), Map.of()), equalTo("no such group no-such-g"));
    }

    @Test
    void inputIsBounded() {
        String huge = "path=/t,aud=" + "a".repeat(TokenFileSpecParser.MAX_LENGTH);
        String message = usageError(with("--token-file", huge), Map.of());
        assertThat(message, containsString("longer than 4096 characters"));
        assertThat("the message quotes only the start", message.length() < 120, equalTo(true));
        String many = String.join(";", IntStream.range(0, 10_000)
                .mapToObj(i -> "path=/run/t" + i + ",aud=a").toList());
        assertThat(usageError(REQUIRED, Map.of("MACHINE_OIDC_TOKEN_FILES", many)), equalTo("at most 16 token files, not 17"));
    }

    private String usageError(List<String> args, Map<String, String> env) {
        return assertThrows(UsageException.class, () -> parser.parse(args, env)).getMessage();
    }
}
