package dev.machineoidc.bridge.config;

import dev.machineoidc.bridge.files.FileAccess;
import dev.machineoidc.bridge.mint.Audience;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Every token file a configuration asks for, as {@link TokenFileSpec}s: the {@code --token-file} specs (or
 * {@code MACHINE_OIDC_TOKEN_FILES}), the older plain-path form, and the ready-made kinds that follow from the
 * environment (AWS, Azure) or the GCP options.
 */
final class TokenFileOptions {

    /** Set by AWS-minded deployments; implies the AWS token file unless a plain path replaces it. */
    static final String AWS_ROLE_ARN = "AWS_ROLE_ARN";
    static final String AZURE_CLIENT_ID = "AZURE_CLIENT_ID";
    static final String AZURE_TENANT_ID = "AZURE_TENANT_ID";
    /** Where Azure's SDKs (DefaultAzureCredential's workload identity) read the token from. */
    static final String AZURE_FEDERATED_TOKEN_FILE = "AZURE_FEDERATED_TOKEN_FILE";
    static final String AZURE_AUDIENCE = "api://AzureADTokenExchange";
    /** The older single-file variable: one plain path (or one spec); read when no {@code --token-file} is given. */
    static final String SINGLE_TOKEN_FILE = "MACHINE_OIDC_TOKEN_FILE";
    static final char SPEC_SEPARATOR = ';';

    private final TokenFileSpecParser specs;

    TokenFileOptions(TokenFileSpecParser.Groups groups) {
        this.specs = new TokenFileSpecParser(groups);
    }

    record TokenFiles(List<TokenFileSpec> files, Optional<GcpCredentials> gcp) {
    }

    /**
     * @param flagged the {@code --token-file} values, in order; when there are any, the variables are not read
     * @param values the other options, flag or variable
     * @param defaults the mode and group of every file whose spec names none
     */
    TokenFiles parse(List<String> flagged, Map<Option, String> values, Map<String, String> env, FileAccess defaults) {
        String plainAudience = values.getOrDefault(Option.TOKEN_FILE_AUDIENCE, Option.TOKEN_FILE_AUDIENCE.defaultValue());
        if (!Audience.isValid(plainAudience)) {
            throw new IllegalArgumentException(Option.TOKEN_FILE_AUDIENCE.flag() + " must be 1-" + Audience.MAX_LENGTH
                    + " printable ASCII characters");
        }
        List<TokenFileSpec> files = new ArrayList<>();
        boolean plainPath = false;
        for (String value : flagged.isEmpty() ? fromEnvironment(env) : flagged) {
            // The older form is a bare path; a spec always has a key=value.
            if (value.indexOf('=') < 0) {
                files.add(new TokenFileSpec(ConfigParser.toPath(Option.TOKEN_FILE.flag(), value), plainAudience, defaults));
                plainPath = true;
            } else {
                files.add(specs.parse(value, defaults));
            }
        }
        if (!plainPath && isSet(env, AWS_ROLE_ARN)) {
            files.add(new TokenFileSpec(Path.of(BridgeConfig.DEFAULT_AWS_TOKEN_FILE), plainAudience, defaults));
        }
        if (isSet(env, AZURE_CLIENT_ID) && isSet(env, AZURE_TENANT_ID)) {
            String azureFile = isSet(env, AZURE_FEDERATED_TOKEN_FILE)
                    ? env.get(AZURE_FEDERATED_TOKEN_FILE) : BridgeConfig.DEFAULT_AZURE_TOKEN_FILE;
            files.add(new TokenFileSpec(ConfigParser.toPath(AZURE_FEDERATED_TOKEN_FILE, azureFile), AZURE_AUDIENCE, defaults));
        }
        Optional<GcpCredentials> gcp = gcp(values);
        gcp.ifPresent(credentials -> files.add(new TokenFileSpec(credentials.tokenFile(), credentials.audience(), defaults)));
        return new TokenFiles(files, gcp);
    }

    private static List<String> fromEnvironment(Map<String, String> env) {
        List<String> found = new ArrayList<>();
        String many = env.get(Option.TOKEN_FILE.environmentVariable());
        if (many != null) {
            int start = 0;
            while (start <= many.length()) {
                int end = many.indexOf(SPEC_SEPARATOR, start);
                String spec = many.substring(start, end < 0 ? many.length() : end).strip();
                if (!spec.isEmpty()) {
                    found.add(spec);
                }
                if (found.size() > BridgeConfig.MAX_TOKEN_FILES) {
                    break; // BridgeConfig refuses that many; no need to read the rest
                }
                start = end < 0 ? many.length() + 1 : end + 1;
            }
        }
        if (isSet(env, SINGLE_TOKEN_FILE)) {
            found.add(env.get(SINGLE_TOKEN_FILE));
        }
        return found;
    }

    private static Optional<GcpCredentials> gcp(Map<Option, String> values) {
        String audience = values.get(Option.GCP_AUDIENCE);
        if (audience == null) {
            for (Option needsAudience : List.of(Option.GCP_SERVICE_ACCOUNT, Option.GCP_DIR)) {
                if (values.containsKey(needsAudience)) {
                    throw new IllegalArgumentException(needsAudience.flag() + " needs " + Option.GCP_AUDIENCE.flag());
                }
            }
            return Optional.empty();
        }
        return Optional.of(new GcpCredentials(audience, Optional.ofNullable(values.get(Option.GCP_SERVICE_ACCOUNT)),
                ConfigParser.toPath(Option.GCP_DIR.flag(), values.getOrDefault(Option.GCP_DIR, Option.GCP_DIR.defaultValue()))));
    }

    private static boolean isSet(Map<String, String> env, String name) {
        String value = env.get(name);
        return value != null && !value.isBlank();
    }
}
