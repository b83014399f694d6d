package dev.machineoidc.bridge.config;

import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Set;

/** chmod-style octal permission bits. */
public final class FileMode {

    private static final String LETTERS = "rwxrwxrwx";

    private FileMode() {
    }

    /**
     * @param octal e.g. {@code 0660} or {@code 660}; only permission bits, no setuid/setgid/sticky
     * @throws IllegalArgumentException when it is not that
     */
    public static Set<PosixFilePermission> parseOctal(String octal) {
        if (!octal.matches("0?[0-7]{3}")) {
            throw new IllegalArgumentException("mode must be octal permission bits like 0660, not " + octal);
        }
        int bits = Integer.parseInt(octal, 8);
        StringBuilder symbolic = new StringBuilder(LETTERS.length());
        for (int i = 0; i < LETTERS.length(); i++) {
            symbolic.append((bits & (0400 >> i)) != 0 ? LETTERS.charAt(i) : '-');
        }
        return PosixFilePermissions.fromString(symbolic.toString());
    }
}
