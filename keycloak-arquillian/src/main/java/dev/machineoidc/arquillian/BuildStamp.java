package dev.machineoidc.arquillian;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.List;

/**
 * What the distribution was last built with, kept beside it: {@code kc.sh build} is the slow step of a
 * launch and is only needed when the build options or the provider jars change.
 */
final class BuildStamp {

    private final Path file;

    BuildStamp(Path keycloakHome) {
        this.file = keycloakHome.resolve(".machine-oidc-build-fingerprint");
    }

    static String fingerprint(List<String> buildCommand, String providersFingerprint) {
        MessageDigest digest = ProviderSet.sha256();
        digest.update(String.join("\n", buildCommand).getBytes(StandardCharsets.UTF_8));
        digest.update((byte) 0);
        digest.update(providersFingerprint.getBytes(StandardCharsets.UTF_8));
        return HexFormat.of().formatHex(digest.digest());
    }

    boolean matches(String fingerprint) throws IOException {
        return Files.isRegularFile(file) && Files.readString(file).trim().equals(fingerprint);
    }

    /** Forgets the stamp before a build, so that a build that fails or is killed half-way is never trusted. */
    void clear() throws IOException {
        Files.deleteIfExists(file);
    }

    void record(String fingerprint) throws IOException {
        Files.writeString(file, fingerprint + "\n");
    }
}
