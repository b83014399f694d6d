package dev.machineoidc.bridge.files;

import java.io.IOException;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.GroupPrincipal;
import java.nio.file.attribute.PosixFileAttributeView;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * Who may read a file the bridge writes: its permission bits and, optionally, the group it belongs to (so that a
 * workload running as another user can read it through that group).
 *
 * @param group empty: the group the file gets on creation (the bridge's, or the directory's with setgid)
 */
public record FileAccess(Set<PosixFilePermission> mode, Optional<GroupPrincipal> group) {

    public static final FileAccess OWNER_ONLY = new FileAccess(PosixFilePermissions.fromString("rw-------"), Optional.empty());

    public FileAccess {
        mode = Set.copyOf(mode);
        Objects.requireNonNull(group, "group");
    }

    /** Group first, then mode: chmod is not subject to the umask, unlike the mode given at creation. */
    void applyTo(Path file) throws IOException {
        if (group.isPresent()) {
            try {
                Files.getFileAttributeView(file, PosixFileAttributeView.class).setGroup(group.get());
            } catch (IOException e) {
                String reason = e instanceof FileSystemException failure && failure.getReason() != null
                        ? failure.getReason() : e.toString();
                throw new IOException("cannot give the file to group " + group.get().getName()
                        + " (the bridge's user must be a member of it, or root): " + reason, e);
            }
        }
        Files.setPosixFilePermissions(file, mode);
    }

    @Override
    public String toString() {
        return PosixFilePermissions.toString(mode) + group.map(g -> " group " + g.getName()).orElse("");
    }
}
