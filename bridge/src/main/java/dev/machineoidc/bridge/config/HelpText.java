package dev.machineoidc.bridge.config;

/** The {@code --help} text, generated from {@link Option} so it cannot drift from the parser. */
public final class HelpText {

    private static final int WIDTH = 96;
    private static final String INDENT = "      ";

    private HelpText() {
    }

    public static String render() {
        StringBuilder out = new StringBuilder();
        out.append("Usage: java -jar machine-oidc-bridge.jar [OPTION VALUE | OPTION=VALUE]...\n\n");
        wrap(out, "", "Serves POST /v1/tokens/oidc on a unix socket, Fly.io-style: every call returns a fresh "
                + "token for this machine, minted by its org's Keycloak realm. Run once with the machine's "
                + "enrollment token; after that the stored key is used.");
        out.append("\nOptions (each also read from the environment variable shown; a flag wins):\n");
        for (Option option : Option.values()) {
            out.append("  ").append(option.flag()).append(' ').append(option.valueName())
                    .append("   [$").append(option.environmentVariable()).append("]\n");
            String description = option.description()
                    + (option.defaultValue() == null ? "" : " Default: " + option.defaultValue() + ".");
            wrap(out, INDENT, description);
        }
        out.append("  -h, --help\n");
        wrap(out, INDENT, "Print this help and exit.");
        out.append("\nAPI:\n");
        out.append(INDENT).append("curl --unix-socket /.fly/api -X POST http://localhost/v1/tokens/oidc "
                + "--data '{\"aud\":\"sts.amazonaws.com\"}'\n");
        wrap(out, INDENT, "The body is optional; \"aws_principal_tags\": true adds the AWS session-tags claim. "
                + "The answer is the JWT as text/plain; errors are JSON {\"error\",\"message\"}.");
        out.append(INDENT).append("curl --unix-socket /.fly/api http://localhost/v1/status\n");
        wrap(out, INDENT, "What the bridge is doing, as JSON: machine, org, the Keycloak URL in use, when the mint "
                + "assertion expires, and each token file's last write, next refresh and last error.");
        out.append("\nToken files for each consumer:\n");
        wrap(out, INDENT, "AWS: with AWS_ROLE_ARN set, the bridge keeps " + BridgeConfig.DEFAULT_AWS_TOKEN_FILE
                + " for sts.amazonaws.com; give the workload AWS_ROLE_ARN=<role>, AWS_WEB_IDENTITY_TOKEN_FILE=<that "
                + "file> and AWS_ROLE_SESSION_NAME=<a name>: the AWS SDKs then assume the role with no code.");
        wrap(out, INDENT, "Azure: with AZURE_CLIENT_ID and AZURE_TENANT_ID set, it keeps $"
                + TokenFileOptions.AZURE_FEDERATED_TOKEN_FILE + " (default " + BridgeConfig.DEFAULT_AZURE_TOKEN_FILE
                + ") for " + TokenFileOptions.AZURE_AUDIENCE + "; give the workload the same three variables.");
        wrap(out, INDENT, "GCP: --gcp-audience; give the workload GOOGLE_APPLICATION_CREDENTIALS=<--gcp-dir>/"
                + GcpCredentials.CREDENTIALS_FILE_NAME + ".");
        wrap(out, INDENT, "Vault Agent: --token-file path=<file>,aud=<the role's bound_audiences>, and that file as "
                + "the path of its auto_auth jwt method.");
        wrap(out, INDENT, "Files are readable by the bridge's user only unless their mode and group say otherwise.");
        out.append("\nStopping:\n");
        wrap(out, INDENT, "SIGTERM or SIGINT stops accepting connections, answers the requests in progress (or "
                + "503 shutting_down to those that get no token within 1.8 s), removes the socket and exits.");
        out.append("\nExit status:\n");
        wrap(out, INDENT, "0 after a clean stop or --help, 1 when the bridge cannot start (e.g. not enrolled, "
                + "or another process holds the socket), 2 for invalid options.");
        return out.toString();
    }

    private static void wrap(StringBuilder out, String indent, String text) {
        StringBuilder line = new StringBuilder(indent);
        for (String word : text.split(" ")) {
            if (line.length() > indent.length() && line.length() + 1 + word.length() > WIDTH) {
                out.append(line).append('\n');
                line = new StringBuilder(indent);
            }
            if (line.length() > indent.length()) {
                line.append(' ');
            }
            line.append(word);
        }
        out.append(line).append('\n');
    }
}
