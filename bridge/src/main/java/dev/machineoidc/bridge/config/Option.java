package dev.machineoidc.bridge.config;

import dev.machineoidc.bridge.socket.SocketServer;

/** Every setting, as a {@code --flag} and as an environment variable; also the source of {@code --help}. */
public enum Option {

    KEYCLOAK_URL("keycloak-url", "MACHINE_OIDC_KEYCLOAK_URL", "URL[,URL...]", null,
            "Keycloak base URL, e.g. http://127.0.0.1:8080. Several, comma-separated, for fail-over. Required."),
    ORG("org", "MACHINE_OIDC_ORG", "NAME", null,
            "The org (Keycloak realm) the machine belongs to. Required."),
    MACHINE_ID("machine-id", "MACHINE_OIDC_MACHINE_ID", "ID", null,
            "The machine's id (14 lowercase hex characters). Required."),
    STATE_DIR("state-dir", "MACHINE_OIDC_STATE_DIR", "DIR", BridgeConfig.DEFAULT_STATE_DIR,
            "Where the machine's private key (mode 0600) and its enrollment are kept."),
    SOCKET_PATH("socket-path", "FLY_API_SOCKET", "PATH", BridgeConfig.DEFAULT_SOCKET_PATH,
            "The unix socket to listen on (at most 107 bytes); its directory is created if missing."),
    SOCKET_MODE("socket-mode", "MACHINE_OIDC_SOCKET_MODE", "OCTAL", BridgeConfig.DEFAULT_SOCKET_MODE,
            "Permission bits of the socket file: who may connect at all."),
    ALLOWED_UIDS("allowed-uids", "MACHINE_OIDC_ALLOWED_UIDS", "USER[,USER...]", null,
            "Only these users (names or numeric uids) may ask for tokens, checked with the socket's peer "
                    + "credentials. With --allowed-gids, a caller needs either. Default: anyone who can connect."),
    ALLOWED_GIDS("allowed-gids", "MACHINE_OIDC_ALLOWED_GIDS", "GROUP[,GROUP...]", null,
            "Only callers whose primary group (name or numeric gid) is listed may ask for tokens."),
    ENROLLMENT_TOKEN("enrollment-token", "MACHINE_OIDC_ENROLLMENT_TOKEN", "TOKEN", null,
            "One-time enrollment token from the admin API. Enrolls a new key unless this token was already "
                    + "consumed here. Prefer the environment variable: command lines are visible to other users."),
    TOKEN_FILE("token-file", "MACHINE_OIDC_TOKEN_FILE", "PATH", null,
            "Keep a token for --token-file-audience in this file (mode 0600, replaced atomically at 90% of "
                    + "each token's life). Default: " + BridgeConfig.DEFAULT_AWS_TOKEN_FILE
                    + " when AWS_ROLE_ARN is set, else none."),
    TOKEN_FILE_AUDIENCE("token-file-audience", "MACHINE_OIDC_TOKEN_FILE_AUDIENCE", "AUD",
            BridgeConfig.DEFAULT_TOKEN_FILE_AUDIENCE, "The aud of the tokens written to the token file."),
    METRICS_ADDRESS("metrics-address", "MACHINE_OIDC_METRICS_ADDRESS", "HOST:PORT|PATH", null,
            "Serve Prometheus metrics at GET /metrics on this loopback address (127.0.0.1:PORT, [::1]:PORT or "
                    + "localhost:PORT; any other address is refused) or on this unix socket (an absolute path). "
                    + "Default: none."),
    ACCEPT_BACKLOG("accept-backlog", "MACHINE_OIDC_ACCEPT_BACKLOG", "N", Integer.toString(SocketServer.DEFAULT_ACCEPT_BACKLOG),
            "Connections the kernel queues for the socket before the bridge accepts them ("
                    + BridgeConfig.MIN_ACCEPT_BACKLOG + "-" + BridgeConfig.MAX_ACCEPT_BACKLOG
                    + "; Linux caps it at net.core.somaxconn). A burst of connects beyond it fails with EAGAIN "
                    + "for non-blocking clients.");

    private final String flag;
    private final String environmentVariable;
    private final String valueName;
    private final String defaultValue;
    private final String description;

    Option(String name, String environmentVariable, String valueName, String defaultValue, String description) {
        this.flag = "--" + name;
        this.environmentVariable = environmentVariable;
        this.valueName = valueName;
        this.defaultValue = defaultValue;
        this.description = description;
    }

    public String flag() {
        return flag;
    }

    public String environmentVariable() {
        return environmentVariable;
    }

    String valueName() {
        return valueName;
    }

    /** @return the default shown in --help, or null when there is none */
    String defaultValue() {
        return defaultValue;
    }

    String description() {
        return description;
    }
}
