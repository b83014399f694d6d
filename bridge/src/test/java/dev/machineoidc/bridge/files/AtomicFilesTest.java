package dev.machineoidc.bridge.files;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assumptions.assumeFalse;

import dev.machineoidc.bridge.testing.Groups;
import java.io.IOException;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.GroupPrincipal;
import java.nio.file.attribute.PosixFileAttributes;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class AtomicFilesTest {

    @TempDir
    Path dir;

    private static List<String> names(Path dir) throws IOException {
        try (Stream<Path> files = Files.list(dir)) {
            return files.map(p -> p.getFileName().toString()).sorted().toList();
        }
    }

    @Test
    void theReplacementHasItsModeAndGroupWhenItTakesTheName() throws Exception {
        Path file = dir.resolve("sub/token");
        GroupPrincipal group = Groups.giveable();
        FileAccess access = new FileAccess(PosixFilePermissions.fromString("rw-r-----"), Optional.of(group));

        AtomicFiles.write(file, "one".getBytes(), access);
        Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-------"));
        AtomicFiles.write(file, "two".getBytes(), access);

        assertThat(Files.readString(file), equalTo("two"));
        PosixFileAttributes attributes = Files.readAttributes(file, PosixFileAttributes.class);
        assertThat(PosixFilePermissions.toString(attributes.permissions()), equalTo("rw-r-----"));
        assertThat(attributes.group(), equalTo(group));
        assertThat("no temp file left behind", names(file.getParent()), equalTo(List.of("token")));
    }

    @Test
    void theCheckCreatesTheDirectoryAndLeavesNothingElse() throws Exception {
        Path file = dir.resolve("new/dir/token");

        AtomicFiles.checkWritable(file, new FileAccess(PosixFilePermissions.fromString("r--r-----"),
                Optional.of(Groups.giveable())));

        assertThat(names(file.getParent()), equalTo(List.of()));
    }

    @Test
    void aGroupTheUserIsNotInIsRefusedWithTheReason() throws Exception {
        assumeFalse("root".equals(System.getProperty("user.name")), "root may give files to any group");
        GroupPrincipal root = FileSystems.getDefault().getUserPrincipalLookupService().lookupPrincipalByGroupName("0");
        Path file = dir.resolve("token");

        IOException e = assertThrows(IOException.class, () -> AtomicFiles.checkWritable(file,
                new FileAccess(PosixFilePermissions.fromString("rw-r-----"), Optional.of(root))));

        assertThat(e.getMessage(), containsString("cannot give the file to group " + root.getName()));
        assertThat(e.getMessage(), containsString("Operation not permitted"));
        assertThat(names(dir), equalTo(List.of()));
    }
}
