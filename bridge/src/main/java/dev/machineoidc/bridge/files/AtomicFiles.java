package dev.machineoidc.bridge.files;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.FileAttribute;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Set;

/**
 * Replaces files atomically: readers see either the old or the new content, never a partial file, and a crash never
 * leaves a truncated one. The new content gets its mode and group before it takes the target's name.
 */
public final class AtomicFiles {

    private static final FileAttribute<Set<PosixFilePermission>> OWNER_ONLY =
            PosixFilePermissions.asFileAttribute(FileAccess.OWNER_ONLY.mode());

    private AtomicFiles() {
    }

    /**
     * Temp file in the target's directory, created 0600 in the same system call that creates it (no window where it is
     * readable by others), written and fsynced, given its access, then renamed over the target.
     */
    public static void write(Path target, byte[] content, FileAccess access) throws IOException {
        Path dir = target.toAbsolutePath().getParent();
        Files.createDirectories(dir);
        Path temp = createTemp(target);
        try {
            try (FileChannel channel = FileChannel.open(temp, StandardOpenOption.WRITE)) {
                ByteBuffer buffer = ByteBuffer.wrap(content);
                while (buffer.hasRemaining()) {
                    channel.write(buffer);
                }
                channel.force(true);
            }
            access.applyTo(temp);
            Files.move(temp, target, StandardCopyOption.ATOMIC_MOVE);
        } catch (AtomicMoveNotSupportedException e) {
            throw new IOException("cannot replace " + target + " atomically", e);
        } finally {
            Files.deleteIfExists(temp);
        }
        syncDirectory(dir);
    }

    /**
     * Proves that {@link #write} can give a file in the target's directory this access (e.g. that the bridge may hand
     * files to the group), by doing it to a temp file that is removed at once. Creates the directory.
     *
     * @throws IOException saying why not
     */
    public static void checkWritable(Path target, FileAccess access) throws IOException {
        Files.createDirectories(target.toAbsolutePath().getParent());
        Path temp = createTemp(target);
        try {
            access.applyTo(temp);
        } finally {
            Files.deleteIfExists(temp);
        }
    }

    private static Path createTemp(Path target) throws IOException {
        return Files.createTempFile(target.toAbsolutePath().getParent(), "." + target.getFileName() + ".", ".tmp",
                OWNER_ONLY);
    }

    /** Makes the rename itself durable; best effort, as not every file system lets a directory be fsynced. */
    private static void syncDirectory(Path dir) {
        try (FileChannel channel = FileChannel.open(dir, StandardOpenOption.READ)) {
            channel.force(true);
        } catch (IOException ignored) {
            // The content is already synced; at worst a crash brings back the previous file.
        }
    }
}
