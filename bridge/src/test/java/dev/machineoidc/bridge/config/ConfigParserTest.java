package dev.machineoidc.bridge.config;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasSize;
import static org.hamcrest.Matchers.is;
import static org.hamcrest.Matchers.not;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.machineoidc.bridge.metrics.MetricsAddress;
import java.net.URI;
import java.nio.file.FileSystems;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class ConfigParserTest {

    static final List<String> REQUIRED = List.of(
            "--keycloak-url", "http://127.0.0.1:8080", "--org", "example-org", "--machine-id", "148e21ea7e46e8");

    private final ConfigParser parser = new ConfigParser();

    /** The required flags and {@code more}. */
    static List<String> with(String... more) {
        List<String> args = new ArrayList<>(REQUIRED);
        args.addAll(Arrays.asList(more));
        return args;
    }

    @Test
    void requiredFlagsAndDocumentedDefaults() throws Exception {
        BridgeConfig config = parser.parse(REQUIRED, Map.of());

        assertThat(config.keycloakUrls(), equalTo(List.of(URI.create("http://127.0.0.1:8080"))));
        assertThat(config.org(), equalTo("example-org"));
        assertThat(config.machineId(), equalTo("148e21ea7e46e8"));
        assertThat(config.stateDir(), equalTo(Path.of("/var/lib/machine-oidc-bridge")));
        assertThat(config.socketPath(), equalTo(Path.of("/.fly/api")));
        assertThat(PosixFilePermissions.toString(config.socketMode()), equalTo("rw-rw----"));
        assertThat(config.allowedUsers(), is(java.util.Set.of()));
        assertThat(config.enrollmentToken(), equalTo(Optional.empty()));
        assertThat(config.tokenFiles(), equalTo(List.of()));
        assertThat(config.gcp(), equalTo(Optional.empty()));
        assertThat(config.connectTimeout(), equalTo(BridgeConfig.DEFAULT_CONNECT_TIMEOUT));
        assertThat(config.acceptBacklog(), equalTo(1024));
        assertThat(config.metricsAddress(), equalTo(Optional.empty()));
    }

    @Test
    void theMetricsAddressIsALoopbackPort() throws Exception {
        BridgeConfig config = parser.parse(with("--metrics-address", "127.0.0.1:9464"), Map.of());

        assertThat(config.metricsAddress().orElseThrow().toString(), equalTo("127.0.0.1:9464"));
    }

    @Test
    void everyOptionFromTheEnvironment() throws Exception {
        Map<String, String> env = Map.ofEntries(
                Map.entry("MACHINE_OIDC_KEYCLOAK_URL", "http://kc1:8080, https://kc2/auth"),
                Map.entry("MACHINE_OIDC_ORG", "acme"),
                Map.entry("MACHINE_OIDC_MACHINE_ID", "0123456789abcd"),
                Map.entry("MACHINE_OIDC_STATE_DIR", "/tmp/state"),
                Map.entry("FLY_API_SOCKET", "/tmp/x/api"),
                Map.entry("MACHINE_OIDC_SOCKET_MODE", "600"),
                Map.entry("MACHINE_OIDC_ALLOWED_UIDS", "0"),
                Map.entry("MACHINE_OIDC_ALLOWED_GIDS", "0"),
                Map.entry("MACHINE_OIDC_ENROLLMENT_TOKEN", "secret-token"),
                Map.entry("MACHINE_OIDC_TOKEN_FILE", "/tmp/x/token"),
                Map.entry("MACHINE_OIDC_TOKEN_FILE_AUDIENCE", "vault"),
                Map.entry("MACHINE_OIDC_METRICS_ADDRESS", "/run/bridge/metrics"),
                Map.entry("MACHINE_OIDC_ACCEPT_BACKLOG", "4096"));

        BridgeConfig config = parser.parse(List.of(), env);

        assertThat(config.keycloakUrls(), equalTo(List.of(URI.create("http://kc1:8080"), URI.create("https://kc2/auth"))));
        assertThat(config.org(), equalTo("acme"));
        assertThat(config.machineId(), equalTo("0123456789abcd"));
        assertThat(config.stateDir(), equalTo(Path.of("/tmp/state")));
        assertThat(config.socketPath(), equalTo(Path.of("/tmp/x/api")));
        assertThat(PosixFilePermissions.toString(config.socketMode()), equalTo("rw-------"));
        assertThat(config.allowedUsers(), hasSize(1));
        assertThat(config.allowedGroups(), hasSize(1));
        assertThat(config.enrollmentToken(), equalTo(Optional.of("secret-token")));
        assertThat(config.tokenFiles(), equalTo(List.of(TokenFileSpec.of(Path.of("/tmp/x/token"), "vault"))));
        assertThat(config.metricsAddress(), equalTo(Optional.of(new MetricsAddress.Unix(Path.of("/run/bridge/metrics")))));
        assertThat(config.acceptBacklog(), equalTo(4096));
    }

    @Test
    void aFlagWinsOverItsVariableAndBothFlagFormsWork() throws Exception {
        BridgeConfig config = parser.parse(with("--socket-path=/tmp/flag/api", "--org", "from-flag"),
                Map.of("FLY_API_SOCKET", "/tmp/env/api", "MACHINE_OIDC_ORG", "from-env"));

        assertThat(config.socketPath(), equalTo(Path.of("/tmp/flag/api")));
        assertThat(config.org(), equalTo("from-flag"));
    }

    @Test
    void emptyVariablesCountAsUnset() throws Exception {
        BridgeConfig config = parser.parse(REQUIRED, Map.of("FLY_API_SOCKET", "", "MACHINE_OIDC_ENROLLMENT_TOKEN", ""));

        assertThat(config.socketPath(), equalTo(Path.of("/.fly/api")));
        assertThat(config.enrollmentToken(), equalTo(Optional.empty()));
    }

    @Test
    void awsRoleArnImpliesTheFlyTokenFileUnlessOverridden() throws Exception {
        Map<String, String> aws = Map.of("AWS_ROLE_ARN", "arn:aws:iam::123456789012:role/app");

        assertThat(parser.parse(REQUIRED, aws).tokenFiles(),
                equalTo(List.of(TokenFileSpec.of(Path.of("/.fly/oidc_token"), "sts.amazonaws.com"))));
        assertThat(parser.parse(with("--token-file", "/run/token"), aws).tokenFiles(),
                equalTo(List.of(TokenFileSpec.of(Path.of("/run/token"), "sts.amazonaws.com"))));
    }

    @Test
    void allowListsTakeNamesAndNumbersAlike() throws Exception {
        BridgeConfig config = parser.parse(with("--allowed-uids", "root, 0", "--allowed-gids", "0,4242"), Map.of());

        assertThat("root and 0 are one user", config.allowedUsers(), hasSize(1));
        assertThat(config.allowedUsers().iterator().next(),
                equalTo(FileSystems.getDefault().getUserPrincipalLookupService().lookupPrincipalByName("0")));
        assertThat(config.allowedGroups(), hasSize(2));
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
        "unknown flag          | --port 80                              | unknown option --port",
        "flag without value    | --org                                  | --org needs a value",
        "positional argument   | serve                                  | unexpected argument",
        "mode not octal        | --socket-mode 0999                     | octal",
        "mode with setuid      | --socket-mode 4755                     | octal",
        "bad org               | --org Acme_Corp                        | org must match",
        "bad machine id        | --machine-id 148E21EA7E46E8            | machine id",
        "not http              | --keycloak-url ftp://kc                | http(s) base URL",
        "url with query        | --keycloak-url http://kc/?x=1          | http(s) base URL",
        "no url at all         | --keycloak-url ,                       | at least one Keycloak URL",
        "unknown user          | --allowed-uids no-such-user-here       | no such user",
        "unknown group         | --allowed-gids no-such-group-here      | no such group",
        "empty audience        | --token-file-audience=                 | --token-file-audience must be 1-256",
        "metrics on any addr   | --metrics-address 0.0.0.0:9464         | --metrics-address: metrics are served on loopback only",
        "metrics on a LAN addr | --metrics-address 10.1.2.3:9464        | loopback only",
        "metrics on a name     | --metrics-address example.com:9464     | loopback only",
        "metrics without port  | --metrics-address 127.0.0.1            | expected HOST:PORT",
        "metrics on port 0     | --metrics-address 127.0.0.1:0          | port must be 1-65535",
        "metrics relative path | --metrics-address run/metrics          | expected HOST:PORT",
        "backlog not a number  | --accept-backlog many                  | --accept-backlog takes a whole number, not 'many'",
        "backlog zero          | --accept-backlog 0                     | accept backlog must be from 1 to 65535",
        "backlog too large     | --accept-backlog 65536                 | accept backlog must be from 1 to 65535",
    })
    void invalidOptionsAreUsageErrors(String name, String args, String expectedMessage) {
        UsageException e = assertThrows(UsageException.class,
                () -> parser.parse(with(args.strip().split(" +")), Map.of()));

        assertThat(e.getMessage(), containsString(expectedMessage));
    }

    @Test
    void missingRequiredOptionNamesFlagAndVariable() {
        UsageException e = assertThrows(UsageException.class,
                () -> parser.parse(List.of("--org", "acme", "--machine-id", "148e21ea7e46e8"), Map.of()));

        assertThat(e.getMessage(), equalTo("--keycloak-url (or MACHINE_OIDC_KEYCLOAK_URL) is required"));
    }

    @Test
    void socketPathLongerThanTheKernelTakesIsRejected() {
        UsageException e = assertThrows(UsageException.class,
                () -> parser.parse(with("--socket-path", "/tmp/" + "s".repeat(110)), Map.of()));

        assertThat(e.getMessage(), containsString("at most 107 bytes"));
    }

    @Test
    void helpIsRecognisedAnywhere() {
        assertThat(ConfigParser.wantsHelp(List.of("--org", "x", "--help")), is(true));
        assertThat(ConfigParser.wantsHelp(List.of("-h")), is(true));
        assertThat(ConfigParser.wantsHelp(REQUIRED), is(false));
    }

    @Test
    void theEnrollmentTokenNeverAppearsInToString() throws Exception {
        BridgeConfig config = parser.parse(with("--enrollment-token", "very-secret-enrollment"), Map.of());

        assertThat(config.toString(), not(containsString("very-secret-enrollment")));
        assertThat(config.toString(), containsString("enrollmentToken=(set)"));
    }

    @Test
    void helpDocumentsEveryFlagAndVariable() {
        String help = HelpText.render();

        for (Option option : Option.values()) {
            assertThat(help, containsString(option.flag() + " "));
            assertThat(help, containsString("$" + option.environmentVariable()));
        }
        assertThat(help, containsString("AWS_WEB_IDENTITY_TOKEN_FILE"));
        assertThat(help, containsString("AWS_ROLE_SESSION_NAME"));
    }
}
