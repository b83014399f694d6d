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
    TOKEN_FILE("token-file", "MACHINE_OIDC_TOKEN_FILES", "SPEC", null,
            "Keep a token file: path=<file>,aud=<aud>[,mode=<octal>][,group=<name|gid>]. Repeatable; the variable "
                    + "takes specs separated by ';'. Each file is replaced atomically at 90% of its token's life, given "
                    + "its mode (default --token-file-mode) and group before the rename, and removed at 95% if no "
                    + "refresh succeeded by then. A bare PATH (the older form, also $"
                    + TokenFileOptions.SINGLE_TOKEN_FILE + ") keeps a file for --token-file-audience there instead of "
                    + "the AWS default. Vault Agent: path=<file>,aud=<the role's bound_audiences>, and <file> as the "
                    + "path of its auto_auth jwt method.", true),
    TOKEN_FILE_AUDIENCE("token-file-audience", "MACHINE_OIDC_TOKEN_FILE_AUDIENCE", "AUD",
            BridgeConfig.DEFAULT_TOKEN_FILE_AUDIENCE,
            "The aud of a bare-PATH token file and of the AWS file (" + BridgeConfig.DEFAULT_AWS_TOKEN_FILE
                    + ", kept when AWS_ROLE_ARN is set and no bare PATH is given)."),
    TOKEN_FILE_MODE("token-file-mode", "MACHINE_OIDC_TOKEN_FILE_MODE", "OCTAL", BridgeConfig.DEFAULT_TOKEN_FILE_MODE,
            "Permission bits of every token file (and the GCP configuration) whose spec names none. Group and "
                    + "others may read, never write."),
    TOKEN_FILE_GROUP("token-file-group", "MACHINE_OIDC_TOKEN_FILE_GROUP", "GROUP", null,
            "Group (name or gid) of every token file whose spec names none, so that a workload running as another "
                    + "user can read it with --token-file-mode 0640. The bridge must be a member (or root). Default: "
                    + "the bridge's group."),
    GCP_AUDIENCE("gcp-audience", "MACHINE_OIDC_GCP_AUDIENCE", "AUD", null,
            "GCP workload identity federation: keep --gcp-dir/" + GcpCredentials.TOKEN_FILE_NAME + " for this aud, "
                    + "the provider's full name //iam.googleapis.com/projects/<number>/locations/global/"
                    + "workloadIdentityPools/<pool>/providers/<provider>, and write --gcp-dir/"
                    + GcpCredentials.CREDENTIALS_FILE_NAME + " (an external_account configuration, as gcloud iam "
                    + "workload-identity-pools create-cred-config makes) for GOOGLE_APPLICATION_CREDENTIALS. "
                    + "Default: none."),
    GCP_SERVICE_ACCOUNT("gcp-service-account", "MACHINE_OIDC_GCP_SERVICE_ACCOUNT", "EMAIL", null,
            "With --gcp-audience: the service account the GCP configuration impersonates. Default: none (the "
                    + "federated identity is granted access directly)."),
    GCP_DIR("gcp-dir", "MACHINE_OIDC_GCP_DIR", "DIR", BridgeConfig.DEFAULT_GCP_DIR,
            "With --gcp-audience: where the GCP token file and configuration are written."),
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
    private final boolean repeatable;

    Option(String name, String environmentVariable, String valueName, String defaultValue, String description) {
        this(name, environmentVariable, valueName, defaultValue, description, false);
    }

    Option(String name, String environmentVariable, String valueName, String defaultValue, String description,
           boolean repeatable) {
        this.repeatable = repeatable;
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

    /** Given several times, every value counts; any other option given twice takes the last. */
    boolean repeatable() {
        return repeatable;
    }
}
