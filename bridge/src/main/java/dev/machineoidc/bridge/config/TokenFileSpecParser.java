package dev.machineoidc.bridge.config;

import dev.machineoidc.bridge.files.FileAccess;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.nio.file.attribute.GroupPrincipal;
import java.nio.file.attribute.PosixFilePermission;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Reads one {@code path=<file>,aud=<aud>[,mode=<octal>][,group=<name|gid>]} spec, strictly: every key known and
 * given once, {@code path} and {@code aud} present. Values cannot hold a comma. Work is linear in the spec, which is
 * capped at {@link #MAX_LENGTH}.
 */
final class TokenFileSpecParser {

    static final int MAX_LENGTH = 4096;

    private static final Set<String> KEYS = Set.of("path", "aud", "mode", "group");
    private static final Set<PosixFilePermission> WRITE_BY_OTHERS = Set.of(
            PosixFilePermission.GROUP_WRITE, PosixFilePermission.OTHERS_WRITE);

    private final Groups groups;

    TokenFileSpecParser(Groups groups) {
        this.groups = groups;
    }

    /**
     * @param defaults the mode and group of a spec that names none
     * @throws IllegalArgumentException saying what is wrong, quoting the spec
     */
    TokenFileSpec parse(String spec, FileAccess defaults) {
        if (spec.length() > MAX_LENGTH) {
            throw invalid(spec.substring(0, 40) + "…", "longer than " + MAX_LENGTH + " characters");
        }
        Map<String, String> fields = new LinkedHashMap<>();
        for (String field : spec.split(",", -1)) {
            int equals = field.indexOf('=');
            if (equals <= 0) {
                throw invalid(spec, "expected key=value, not '" + field + "'");
            }
            String key = field.substring(0, equals);
            if (!KEYS.contains(key)) {
                throw invalid(spec, "unknown key '" + key + "' (known: path, aud, mode, group)");
            }
            if (fields.put(key, field.substring(equals + 1)) != null) {
                throw invalid(spec, key + " is given twice");
            }
        }
        String path = fields.get("path");
        if (path == null || path.isEmpty()) {
            throw invalid(spec, "path is required");
        }
        if (!fields.containsKey("aud")) {
            throw invalid(spec, "aud is required");
        }
        try {
            FileAccess access = new FileAccess(
                    fields.containsKey("mode") ? mode(fields.get("mode")) : defaults.mode(),
                    fields.containsKey("group") ? Optional.of(groups.lookup(fields.get("group"))) : defaults.group());
            return new TokenFileSpec(Path.of(path), fields.get("aud"), access);
        } catch (InvalidPathException e) {
            throw invalid(spec, "invalid path");
        } catch (IllegalArgumentException e) {
            throw invalid(spec, e.getMessage());
        }
    }

    /** A token file's mode: readable as wide as wanted, writable by the bridge only (it is the one that replaces it). */
    static Set<PosixFilePermission> mode(String octal) {
        Set<PosixFilePermission> mode = FileMode.parseOctal(octal);
        if (mode.stream().anyMatch(WRITE_BY_OTHERS::contains)) {
            throw new IllegalArgumentException("mode " + octal + " lets others write the token file; "
                    + "use read bits only for group and others, e.g. 0640");
        }
        return mode;
    }

    private static IllegalArgumentException invalid(String spec, String why) {
        return new IllegalArgumentException("--token-file '" + spec + "': " + why);
    }

    /** Resolves a group name or numeric gid. */
    @FunctionalInterface
    interface Groups {

        /** @throws IllegalArgumentException when there is no such group */
        GroupPrincipal lookup(String nameOrGid);
    }
}
