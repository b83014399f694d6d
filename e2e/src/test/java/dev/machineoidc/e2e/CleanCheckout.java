package dev.machineoidc.e2e;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A copy of the working tree as a fresh clone of it would look once the tree is committed: every file git tracks or
 * would track (tracked and untracked, minus what .gitignore excludes, so no target/, .local/ or .fly/), with its
 * permissions. The repository itself, its index and its git state are only read.
 */
final class CleanCheckout {

    private CleanCheckout() {
    }

    static Path create(Path repoRoot, Path target) throws IOException, InterruptedException {
        deleteTree(target);
        Files.createDirectories(target);
        int copied = 0;
        for (String relative : listFiles(repoRoot)) {
            Path source = repoRoot.resolve(relative);
            if (!Files.exists(source, LinkOption.NOFOLLOW_LINKS)) {
                continue; // tracked but deleted in the working tree: a commit of the tree would not have it
            }
            Path copy = target.resolve(relative);
            Files.createDirectories(copy.getParent());
            Files.copy(source, copy, LinkOption.NOFOLLOW_LINKS, StandardCopyOption.COPY_ATTRIBUTES);
            copied++;
        }
        if (copied == 0 || !Files.isRegularFile(target.resolve("run-local.sh"))) {
            throw new IllegalStateException("the copy of " + repoRoot + " has no run-local.sh (" + copied + " files copied)");
        }
        return target;
    }

    /** {@code git ls-files -co --exclude-standard}: tracked files and untracked ones that are not ignored. */
    private static List<String> listFiles(Path repoRoot) throws IOException, InterruptedException {
        // safe.directory: a clone owned by another user than the one running the build is still only read.
        Process git = new ProcessBuilder("git", "-c", "safe.directory=" + repoRoot, "-C", repoRoot.toString(), "ls-files", "-z", "--cached", "--others",
                "--exclude-standard")
                .redirectError(ProcessBuilder.Redirect.INHERIT)
                .redirectInput(ProcessBuilder.Redirect.from(Path.of("/dev/null").toFile()))
                .start();
        byte[] out;
        try (InputStream in = git.getInputStream()) {
            ByteArrayOutputStream buffer = new ByteArrayOutputStream();
            in.transferTo(buffer);
            out = buffer.toByteArray();
        }
        if (!git.waitFor(60, TimeUnit.SECONDS) || git.exitValue() != 0) {
            git.destroyForcibly();
            throw new IllegalStateException("git ls-files failed in " + repoRoot + ": the e2e tests copy a git working tree");
        }
        List<String> files = new ArrayList<>();
        for (String name : new String(out, StandardCharsets.UTF_8).split("\0")) {
            if (!name.isEmpty()) {
                files.add(name);
            }
        }
        return files.stream().distinct().toList();
    }

    static void deleteTree(Path dir) throws IOException {
        if (!Files.exists(dir, LinkOption.NOFOLLOW_LINKS)) {
            return;
        }
        Files.walkFileTree(dir, new SimpleFileVisitor<>() {
            @Override
            public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) throws IOException {
                Files.delete(file);
                return FileVisitResult.CONTINUE;
            }

            @Override
            public FileVisitResult postVisitDirectory(Path directory, IOException e) throws IOException {
                if (e != null) {
                    throw e;
                }
                Files.delete(directory);
                return FileVisitResult.CONTINUE;
            }
        });
    }
}
