package dev.machineoidc.arquillian;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;

/**
 * A container's own copy of the unpacked distribution. {@code kc.sh build} rewrites the distribution and the
 * dev-file database lives inside it, so two container configurations (say, one with a custom issuer) can
 * only run side by side from separate copies; the unpacked original stays untouched.
 */
final class ServerCopy {

    private final Path distribution;
    private final Path copy;

    ServerCopy(Path distribution, Path copy) {
        this.distribution = distribution;
        this.copy = copy;
    }

    /** Copies the distribution unless a complete copy of the same version is already there (it keeps its build). */
    void refresh() throws IOException {
        if (isCurrent()) {
            return;
        }
        // Copy aside and move into place, so that a copy cut short by a killed JVM is never taken for complete.
        Path partial = copy.resolveSibling(copy.getFileName() + ".partial");
        DirectoryTrees.delete(partial);
        DirectoryTrees.delete(copy);
        Files.createDirectories(copy.getParent());
        DirectoryTrees.copy(distribution, partial);
        Files.move(partial, copy, StandardCopyOption.ATOMIC_MOVE);
    }

    private boolean isCurrent() throws IOException {
        Path version = Path.of("version.txt");
        return Files.isRegularFile(copy.resolve(version))
                && Files.readString(copy.resolve(version)).equals(Files.readString(distribution.resolve(version)));
    }
}
