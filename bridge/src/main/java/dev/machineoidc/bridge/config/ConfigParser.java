package dev.machineoidc.bridge.config;

import dev.machineoidc.bridge.files.FileAccess;
import dev.machineoidc.bridge.metrics.MetricsAddress;
import java.io.IOException;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.file.FileSystems;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.nio.file.attribute.GroupPrincipal;
import java.nio.file.attribute.UserPrincipal;
import java.nio.file.attribute.UserPrincipalLookupService;
import java.nio.file.attribute.UserPrincipalNotFoundException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Builds a {@link BridgeConfig} from {@code --flag value} / {@code --flag=value} arguments and the
 * environment. A flag wins over its environment variable, which wins over the default; an empty
 * variable counts as unset.
 */
public final class ConfigParser {

    private final UserPrincipalLookupService principals = FileSystems.getDefault().getUserPrincipalLookupService();
    private final TokenFileOptions tokenFileOptions = new TokenFileOptions(this::tokenFileGroup);

    public static boolean wantsHelp(List<String> args) {
        return args.contains("--help") || args.contains("-h");
    }

    public BridgeConfig parse(List<String> args, Map<String, String> env) throws UsageException {
        Map<Option, List<String>> flags = readFlags(args);
        Map<Option, String> values = new EnumMap<>(Option.class);
        for (Option option : Option.values()) {
            List<String> flagged = flags.getOrDefault(option, List.of());
            String fromEnv = env.get(option.environmentVariable());
            if (!flagged.isEmpty()) {
                values.put(option, flagged.get(flagged.size() - 1));
            } else if (fromEnv != null && !fromEnv.isEmpty()) {
                values.put(option, fromEnv);
            }
        }
        try {
            FileAccess tokenFileDefaults = new FileAccess(
                    TokenFileSpecParser.mode(valueOrDefault(values, Option.TOKEN_FILE_MODE)),
                    Optional.ofNullable(values.get(Option.TOKEN_FILE_GROUP)).map(this::tokenFileGroup));
            TokenFileOptions.TokenFiles tokenFiles = tokenFileOptions.parse(
                    flags.getOrDefault(Option.TOKEN_FILE, List.of()), values, env, tokenFileDefaults);
            BridgeConfig.Builder builder = BridgeConfig.builder()
                    .keycloakUrls(urls(required(values, Option.KEYCLOAK_URL)))
                    .org(required(values, Option.ORG))
                    .machineId(required(values, Option.MACHINE_ID))
                    .stateDir(path(values, Option.STATE_DIR))
                    .socketPath(path(values, Option.SOCKET_PATH))
                    .socketMode(FileMode.parseOctal(valueOrDefault(values, Option.SOCKET_MODE)))
                    .allowedUsers(users(values.get(Option.ALLOWED_UIDS)))
                    .allowedGroups(groups(values.get(Option.ALLOWED_GIDS)))
                    .enrollmentToken(values.get(Option.ENROLLMENT_TOKEN))
                    .tokenFiles(tokenFiles.files())
                    .gcp(tokenFiles.gcp().orElse(null))
                    .metricsAddress(metricsAddress(values.get(Option.METRICS_ADDRESS)))
                    .acceptBacklog(wholeNumber(values, Option.ACCEPT_BACKLOG));
            return builder.build();
        } catch (IllegalArgumentException e) {
            throw new UsageException(e.getMessage());
        }
    }

    private static Map<Option, List<String>> readFlags(List<String> args) throws UsageException {
        Map<Option, List<String>> values = new EnumMap<>(Option.class);
        for (int i = 0; i < args.size(); i++) {
            String arg = args.get(i);
            if (!arg.startsWith("--")) {
                throw new UsageException("unexpected argument '" + arg + "'");
            }
            int equals = arg.indexOf('=');
            String flag = equals < 0 ? arg : arg.substring(0, equals);
            Option option = Arrays.stream(Option.values())
                    .filter(o -> o.flag().equals(flag))
                    .findFirst()
                    .orElseThrow(() -> new UsageException("unknown option " + flag));
            String value;
            if (equals >= 0) {
                value = arg.substring(equals + 1);
            } else if (i + 1 < args.size()) {
                value = args.get(++i);
            } else {
                throw new UsageException(flag + " needs a value");
            }
            List<String> given = values.computeIfAbsent(option, o -> new ArrayList<>());
            if (!option.repeatable()) {
                given.clear();
            }
            given.add(value);
        }
        return values;
    }

    private static String required(Map<Option, String> values, Option option) throws UsageException {
        String value = values.get(option);
        if (value == null || value.isEmpty()) {
            throw new UsageException(option.flag() + " (or " + option.environmentVariable() + ") is required");
        }
        return value;
    }

    private static String valueOrDefault(Map<Option, String> values, Option option) {
        return values.getOrDefault(option, option.defaultValue());
    }

    private static int wholeNumber(Map<Option, String> values, Option option) {
        String value = valueOrDefault(values, option).strip();
        try {
            return Integer.parseInt(value);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(option.flag() + " takes a whole number, not '" + value + "'");
        }
    }

    private static Path path(Map<Option, String> values, Option option) {
        return toPath(option.flag(), valueOrDefault(values, option));
    }

    /** @param source the flag or variable the path came from, for the message */
    static Path toPath(String source, String value) {
        if (value.isEmpty()) {
            throw new IllegalArgumentException(source + ": the path is empty");
        }
        try {
            return Path.of(value);
        } catch (InvalidPathException e) {
            throw new IllegalArgumentException(source + ": invalid path " + value);
        }
    }

    /** @return null for no metrics */
    private static MetricsAddress metricsAddress(String value) {
        if (value == null) {
            return null;
        }
        try {
            return MetricsAddress.parse(value);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(Option.METRICS_ADDRESS.flag() + ": " + e.getMessage());
        }
    }

    private static List<URI> urls(String commaSeparated) {
        List<URI> urls = new ArrayList<>();
        for (String part : commaSeparated.split(",")) {
            String url = part.strip();
            if (url.isEmpty()) {
                continue;
            }
            try {
                urls.add(new URI(url));
            } catch (URISyntaxException e) {
                throw new IllegalArgumentException(Option.KEYCLOAK_URL.flag() + ": not a URL: " + url);
            }
        }
        return urls;
    }

    private Set<UserPrincipal> users(String list) throws UsageException {
        Set<UserPrincipal> users = new LinkedHashSet<>();
        for (String name : entries(list)) {
            try {
                users.add(principals.lookupPrincipalByName(name));
            } catch (UserPrincipalNotFoundException e) {
                throw new UsageException(Option.ALLOWED_UIDS.flag() + ": no such user " + name);
            } catch (IOException e) {
                throw new UsageException(Option.ALLOWED_UIDS.flag() + ": cannot look up " + name + ": " + e.getMessage());
            }
        }
        return users;
    }

    private Set<GroupPrincipal> groups(String list) throws UsageException {
        Set<GroupPrincipal> groups = new LinkedHashSet<>();
        for (String name : entries(list)) {
            try {
                groups.add(principals.lookupPrincipalByGroupName(name));
            } catch (UserPrincipalNotFoundException e) {
                throw new UsageException(Option.ALLOWED_GIDS.flag() + ": no such group " + name);
            } catch (IOException e) {
                throw new UsageException(Option.ALLOWED_GIDS.flag() + ": cannot look up " + name + ": " + e.getMessage());
            }
        }
        return groups;
    }

    /** @throws IllegalArgumentException when there is no such group */
    private GroupPrincipal tokenFileGroup(String nameOrGid) {
        try {
            return principals.lookupPrincipalByGroupName(nameOrGid);
        } catch (UserPrincipalNotFoundException e) {
            throw new IllegalArgumentException("no such group " + nameOrGid);
        } catch (IOException e) {
            throw new IllegalArgumentException("cannot look up group " + nameOrGid + ": " + e.getMessage());
        }
    }

    private static List<String> entries(String list) {
        if (list == null) {
            return List.of();
        }
        return Arrays.stream(list.split(",")).map(String::strip).filter(s -> !s.isEmpty()).toList();
    }
}
