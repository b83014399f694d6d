package dev.machineoidc.bridge.config;

import dev.machineoidc.bridge.metrics.MetricsAddress;
import dev.machineoidc.bridge.socket.SocketPath;
import dev.machineoidc.bridge.socket.SocketServer;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.nio.file.attribute.GroupPrincipal;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.nio.file.attribute.UserPrincipal;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Everything the bridge needs to run, validated. Built by {@link ConfigParser} from flags and the
 * environment, or with {@link #builder()} by tests that start a bridge in-process.
 *
 * @param tokenFiles every token file to keep current, whatever kind asked for it
 * @param gcp the GCP credential configuration to write beside its token file (one of {@code tokenFiles})
 * @param metricsAddress where {@code GET /metrics} is served; empty for nowhere
 * @param connectTimeout per connection attempt to Keycloak
 * @param mintTimeout one workload request in all (a renewed assertion, retry and fail-over included), so
 *     callers get a 503 promptly when Keycloak hangs
 * @param acceptBacklog the socket's listen queue: connects the kernel holds until the bridge accepts them
 */
public record BridgeConfig(
        List<URI> keycloakUrls,
        String org,
        String machineId,
        Path stateDir,
        Path socketPath,
        Set<PosixFilePermission> socketMode,
        Set<UserPrincipal> allowedUsers,
        Set<GroupPrincipal> allowedGroups,
        Optional<String> enrollmentToken,
        List<TokenFileSpec> tokenFiles,
        Optional<GcpCredentials> gcp,
        Optional<MetricsAddress> metricsAddress,
        Duration connectTimeout,
        Duration mintTimeout,
        int acceptBacklog) {

    public static final String DEFAULT_STATE_DIR = "/var/lib/machine-oidc-bridge";
    public static final String DEFAULT_SOCKET_PATH = "/.fly/api";
    public static final String DEFAULT_SOCKET_MODE = "0660";
    public static final String DEFAULT_AWS_TOKEN_FILE = "/.fly/oidc_token";
    public static final String DEFAULT_TOKEN_FILE_AUDIENCE = "sts.amazonaws.com";
    public static final String DEFAULT_AZURE_TOKEN_FILE = "/.fly/azure_token";
    public static final String DEFAULT_GCP_DIR = "/.fly";
    public static final String DEFAULT_TOKEN_FILE_MODE = "0600";
    /** Each file costs a mint per 90 % of a token's life and a thread; far more than any consumer mix needs. */
    public static final int MAX_TOKEN_FILES = 16;
    public static final Duration DEFAULT_CONNECT_TIMEOUT = Duration.ofSeconds(1);
    public static final Duration DEFAULT_MINT_TIMEOUT = Duration.ofMillis(1800);
    public static final int MIN_ACCEPT_BACKLOG = 1;
    public static final int MAX_ACCEPT_BACKLOG = 65535;

    // The extension's rules too: both sides are tested against docs/contract/shared-rules.json (NameRulesTest here).
    static final Pattern ORG = Pattern.compile("[a-z0-9][a-z0-9-]{0,62}");
    static final Pattern MACHINE_ID = Pattern.compile("[0-9a-f]{14}");

    public BridgeConfig {
        keycloakUrls = List.copyOf(keycloakUrls);
        if (keycloakUrls.isEmpty()) {
            throw new IllegalArgumentException("at least one Keycloak URL is required");
        }
        keycloakUrls.forEach(BridgeConfig::requireBaseUrl);
        require(org != null && ORG.matcher(org).matches(), "org must match [a-z0-9][a-z0-9-]{0,62}");
        require(machineId != null && MACHINE_ID.matcher(machineId).matches(),
                "machine id must be 14 lowercase hex characters");
        Objects.requireNonNull(stateDir, "stateDir");
        Objects.requireNonNull(socketPath, "socketPath");
        require(socketPath.toAbsolutePath().toString().getBytes(StandardCharsets.UTF_8).length <= SocketPath.MAX_LENGTH,
                "socket path must be at most " + SocketPath.MAX_LENGTH + " bytes");
        socketMode = Set.copyOf(socketMode);
        allowedUsers = Set.copyOf(allowedUsers);
        allowedGroups = Set.copyOf(allowedGroups);
        Objects.requireNonNull(enrollmentToken, "enrollmentToken");
        require(enrollmentToken.map(t -> !t.isBlank()).orElse(true), "the enrollment token must not be blank");
        tokenFiles = List.copyOf(tokenFiles);
        Objects.requireNonNull(gcp, "gcp");
        requireDistinct(tokenFiles, gcp);
        Objects.requireNonNull(metricsAddress, "metricsAddress");
        require(!connectTimeout.isNegative() && !connectTimeout.isZero() && !mintTimeout.isNegative() && !mintTimeout.isZero(),
                "timeouts must be positive");
        require(acceptBacklog >= MIN_ACCEPT_BACKLOG && acceptBacklog <= MAX_ACCEPT_BACKLOG,
                "accept backlog must be from " + MIN_ACCEPT_BACKLOG + " to " + MAX_ACCEPT_BACKLOG);
    }

    public static Builder builder() {
        return new Builder();
    }

    /** Leaves the enrollment token out, so the config can be logged. */
    @Override
    public String toString() {
        return "BridgeConfig[keycloakUrls=" + keycloakUrls + ", org=" + org + ", machineId=" + machineId
                + ", stateDir=" + stateDir + ", socketPath=" + socketPath
                + ", socketMode=" + PosixFilePermissions.toString(socketMode)
                + ", allowedUsers=" + allowedUsers + ", allowedGroups=" + allowedGroups
                + ", enrollmentToken=" + (enrollmentToken.isPresent() ? "(set)" : "(none)")
                + ", tokenFiles=" + tokenFiles + ", gcp=" + gcp
                + ", metricsAddress=" + metricsAddress + ", acceptBacklog=" + acceptBacklog + "]";
    }

    private static void requireBaseUrl(URI url) {
        require(("http".equals(url.getScheme()) || "https".equals(url.getScheme()))
                        && url.getHost() != null && url.getQuery() == null && url.getFragment() == null,
                "Keycloak URL must be an http(s) base URL without query or fragment: " + url);
    }

    /** No two files at one path: two refreshers would overwrite each other's tokens. */
    private static void requireDistinct(List<TokenFileSpec> tokenFiles, Optional<GcpCredentials> gcp) {
        require(tokenFiles.size() <= MAX_TOKEN_FILES, "at most " + MAX_TOKEN_FILES + " token files, not " + tokenFiles.size());
        Map<Path, String> audiences = new HashMap<>();
        for (TokenFileSpec file : tokenFiles) {
            String other = audiences.put(file.path().toAbsolutePath().normalize(), file.audience());
            require(other == null, "token file " + file.path() + " is configured twice (aud " + other + " and aud "
                    + file.audience() + ")");
        }
        gcp.ifPresent(credentials -> {
            require(audiences.containsKey(credentials.tokenFile().toAbsolutePath().normalize()),
                    "the GCP token file " + credentials.tokenFile() + " is not among the token files");
            require(!audiences.containsKey(credentials.credentialsFile().toAbsolutePath().normalize()),
                    "token file " + credentials.credentialsFile() + " would overwrite the GCP credential configuration");
        });
    }

    private static void require(boolean condition, String message) {
        if (!condition) {
            throw new IllegalArgumentException(message);
        }
    }

    /** Starts from the documented defaults; URLs, org and machine id have none. */
    public static final class Builder {

        private List<URI> keycloakUrls = List.of();
        private String org;
        private String machineId;
        private Path stateDir = Path.of(DEFAULT_STATE_DIR);
        private Path socketPath = Path.of(DEFAULT_SOCKET_PATH);
        private Set<PosixFilePermission> socketMode = FileMode.parseOctal(DEFAULT_SOCKET_MODE);
        private Set<UserPrincipal> allowedUsers = Set.of();
        private Set<GroupPrincipal> allowedGroups = Set.of();
        private Optional<String> enrollmentToken = Optional.empty();
        private final List<TokenFileSpec> tokenFiles = new ArrayList<>();
        private Optional<GcpCredentials> gcp = Optional.empty();
        private Optional<MetricsAddress> metricsAddress = Optional.empty();
        private Duration connectTimeout = DEFAULT_CONNECT_TIMEOUT;
        private Duration mintTimeout = DEFAULT_MINT_TIMEOUT;
        private int acceptBacklog = SocketServer.DEFAULT_ACCEPT_BACKLOG;

        private Builder() {
        }

        public Builder keycloakUrls(List<URI> value) {
            keycloakUrls = value;
            return this;
        }

        public Builder org(String value) {
            org = value;
            return this;
        }

        public Builder machineId(String value) {
            machineId = value;
            return this;
        }

        public Builder stateDir(Path value) {
            stateDir = value;
            return this;
        }

        public Builder socketPath(Path value) {
            socketPath = value;
            return this;
        }

        public Builder socketMode(Set<PosixFilePermission> value) {
            socketMode = value;
            return this;
        }

        public Builder allowedUsers(Set<UserPrincipal> value) {
            allowedUsers = value;
            return this;
        }

        public Builder allowedGroups(Set<GroupPrincipal> value) {
            allowedGroups = value;
            return this;
        }

        public Builder enrollmentToken(String value) {
            enrollmentToken = Optional.ofNullable(value);
            return this;
        }

        /** Adds one; call once per file. */
        public Builder tokenFile(TokenFileSpec value) {
            tokenFiles.add(value);
            return this;
        }

        public Builder tokenFiles(List<TokenFileSpec> values) {
            tokenFiles.addAll(values);
            return this;
        }

        /** Also needs its token file, {@link GcpCredentials#tokenFile()}, among the token files. */
        public Builder gcp(GcpCredentials value) {
            gcp = Optional.ofNullable(value);
            return this;
        }

        public Builder metricsAddress(MetricsAddress value) {
            metricsAddress = Optional.ofNullable(value);
            return this;
        }

        public Builder connectTimeout(Duration value) {
            connectTimeout = value;
            return this;
        }

        public Builder mintTimeout(Duration value) {
            mintTimeout = value;
            return this;
        }

        public Builder acceptBacklog(int value) {
            acceptBacklog = value;
            return this;
        }

        /** @throws IllegalArgumentException naming the first invalid setting */
        public BridgeConfig build() {
            return new BridgeConfig(keycloakUrls, org, machineId, stateDir, socketPath, socketMode, allowedUsers,
                    allowedGroups, enrollmentToken, tokenFiles, gcp, metricsAddress, connectTimeout,
                    mintTimeout, acceptBacklog);
        }
    }
}
