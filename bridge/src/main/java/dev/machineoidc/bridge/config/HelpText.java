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
        out.append("\nAWS:\n");
        wrap(out, INDENT, "With a token file, give the workload AWS_ROLE_ARN=<role>, "
                + "AWS_WEB_IDENTITY_TOKEN_FILE=<token file> and AWS_ROLE_SESSION_NAME=<a name>: the AWS SDKs "
                + "then assume the role with no code. The file is readable by the bridge's user only.");
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
