package dev.machineoidc.bridge.files;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;

/** Files only their owner may read (mode 0600) in directories only their owner may enter, e.g. the machine's key. */
public final class PrivateFiles {

    private PrivateFiles() {
    }

    /** Creates the directory (and missing parents) as 0700; an existing directory is left as it is. */
    public static Path createPrivateDirectories(Path dir) throws IOException {
        return Files.createDirectories(dir, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
    }

    /** Replaces the file atomically with one of mode 0600 (see {@link AtomicFiles#write}). */
    public static void writeAtomically(Path target, byte[] content) throws IOException {
        AtomicFiles.write(target, content, FileAccess.OWNER_ONLY);
    }
}
