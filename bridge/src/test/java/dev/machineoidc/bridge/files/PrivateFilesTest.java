package dev.machineoidc.bridge.files;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.empty;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.greaterThan;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import dev.machineoidc.bridge.testing.Await;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

class PrivateFilesTest {

    @TempDir
    Path dir;

    @Test
    void createsOwnerOnlyFilesAndReplacesWiderOnes() throws Exception {
        Path file = dir.resolve("token");
        Files.writeString(file, "old");
        Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-r--r--"));

        PrivateFiles.writeAtomically(file, "new".getBytes());

        assertThat(Files.readString(file), equalTo("new"));
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file)), equalTo("rw-------"));
        try (Stream<Path> files = Files.list(dir)) {
            assertThat("no temp file left behind", files.map(Path::getFileName).map(Path::toString).toList(),
                    equalTo(List.of("token")));
        }
    }

    @Test
    void aWriteInterruptedByAStopLeavesTheOldFileAndNoTempFile() throws Exception {
        Path file = dir.resolve("token");
        PrivateFiles.writeAtomically(file, "old".getBytes());

        // How a stop reaches a refresh in progress: its thread is interrupted, and file channels give up.
        Thread.currentThread().interrupt();
        try {
            assertThrows(IOException.class, () -> PrivateFiles.writeAtomically(file, "new".getBytes()));
        } finally {
            Thread.interrupted();
        }

        assertThat(Files.readString(file), equalTo("old"));
        try (Stream<Path> files = Files.list(dir)) {
            assertThat(files.map(Path::getFileName).map(Path::toString).toList(), equalTo(List.of("token")));
        }
    }

    @Test
    void createsMissingDirectories() throws Exception {
        Path file = dir.resolve("a/b/token");

        PrivateFiles.writeAtomically(file, "x".getBytes());

        assertThat(Files.readString(file), equalTo("x"));
    }

    @Test
    @Timeout(60)
    void aReaderPollingTheFileNeverSeesAPartialWrite() throws Exception {
        Path file = dir.resolve("token");
        byte[] a = new byte[256 * 1024];
        byte[] b = new byte[a.length];
        Arrays.fill(a, (byte) 'a');
        Arrays.fill(b, (byte) 'b');
        PrivateFiles.writeAtomically(file, a);

        AtomicBoolean writing = new AtomicBoolean(true);
        AtomicInteger reads = new AtomicInteger();
        CompletableFuture<List<String>> reader = CompletableFuture.supplyAsync(() -> {
            List<String> torn = new java.util.ArrayList<>();
            while (writing.get()) {
                try {
                    byte[] seen = Files.readAllBytes(file);
                    reads.incrementAndGet();
                    if (!Arrays.equals(seen, a) && !Arrays.equals(seen, b)) {
                        torn.add("length " + seen.length);
                    }
                } catch (NoSuchFileException e) {
                    torn.add("file missing");
                } catch (java.io.IOException e) {
                    torn.add(e.toString());
                }
            }
            return torn;
        });
        Await.until(Duration.ofSeconds(10), () -> reads.get() > 0, "the reader to start");
        try {
            for (int i = 0; i < 200; i++) {
                PrivateFiles.writeAtomically(file, i % 2 == 0 ? b : a);
            }
        } finally {
            writing.set(false);
        }

        assertThat(reader.get(30, TimeUnit.SECONDS), empty());
        assertThat(reads.get(), greaterThan(0));
    }
}
