package dev.machineoidc.bridge.files;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;

import dev.machineoidc.bridge.testing.Groups;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.GroupPrincipal;
import java.nio.file.attribute.PosixFileAttributes;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
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
        Path workDir = Files.createDirectories(dir.resolve("work"));
        Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwxr-xr-x"));
        Files.setPosixFilePermissions(workDir, PosixFilePermissions.fromString("rwxrwxrwx"));
        Path classes = classesOf(FileAccess.class, GroupCheckMain.class);
        List<String> command = new ArrayList<>();
        // Root may give files to any group, so a root test runs the check as nobody, with classes nobody can read.
        if ("root".equals(System.getProperty("user.name"))) {
            command.addAll(List.of("setpriv", "--reuid=65534", "--regid=65534", "--clear-groups"));
        }
        command.addAll(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp", classes.toString(), GroupCheckMain.class.getName(), workDir.resolve("token").toString()));
        Process check = new ProcessBuilder(command).redirectErrorStream(true).start();
        String output = new String(check.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(output, check.waitFor(), equalTo(GroupCheckMain.REFUSED));

        assertThat(output, containsString("cannot give the file to group "));
        assertThat(output, containsString("Operation not permitted"));
        assertThat(names(workDir), equalTo(List.of()));
    }

    /** A copy of the classes of the given classes' package, where any user may read them. */
    private Path classesOf(Class<?>... types) throws Exception {
        Path packageDir = Path.of(types[0].getPackageName().replace('.', '/'));
        Path copy = Files.createDirectories(dir.resolve("classes").resolve(packageDir));
        for (Class<?> type : types) {
            Path from = Path.of(type.getProtectionDomain().getCodeSource().getLocation().toURI()).resolve(packageDir);
            try (Stream<Path> files = Files.list(from)) {
                for (Path file : files.filter(f -> f.toString().endsWith(".class")).toList()) {
                    Files.copy(file, copy.resolve(file.getFileName()), StandardCopyOption.REPLACE_EXISTING);
                }
            }
        }
        try (Stream<Path> paths = Files.walk(dir.resolve("classes"))) {
            for (Path path : paths.toList()) {
                Files.setPosixFilePermissions(path, PosixFilePermissions.fromString(
                        Files.isDirectory(path) ? "rwxr-xr-x" : "rw-r--r--"));
            }
        }
        return dir.resolve("classes");
    }
}
