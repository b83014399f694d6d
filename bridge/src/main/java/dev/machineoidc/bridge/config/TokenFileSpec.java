package dev.machineoidc.bridge.config;

import dev.machineoidc.bridge.files.FileAccess;
import dev.machineoidc.bridge.mint.Audience;
import java.nio.file.Path;
import java.util.Objects;

/**
 * One token file the bridge keeps current: where, for which audience, readable by whom. Every kind (AWS, Azure, GCP,
 * a {@code --token-file} spec) comes down to one of these.
 */
public record TokenFileSpec(Path path, String audience, FileAccess access) {

    public TokenFileSpec {
        Objects.requireNonNull(path, "path");
        Objects.requireNonNull(access, "access");
        if (!Audience.isValid(audience)) {
            throw new IllegalArgumentException("token file " + path + ": aud must be 1-" + Audience.MAX_LENGTH
                    + " printable ASCII characters");
        }
    }

    /** With the default access: mode 0600, the bridge's group. */
    public static TokenFileSpec of(Path path, String audience) {
        return new TokenFileSpec(path, audience, FileAccess.OWNER_ONLY);
    }
}
