package dev.machineoidc.bridge.it;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.stream.Stream;

/**
 * A command line run the way a user runs one pasted into a terminal: {@code sh -c '<text>'} in the project's root
 * directory (where {@code bridge/bin/machine-oidc-bridge} is), with the JVM running the tests as the launcher's
 * {@code java}. Its output goes to a log file; closing it stops the command and everything it started.
 */
final class PastedCommand implements AutoCloseable {

    private static final String LAUNCHER = "bridge/bin/machine-oidc-bridge";

    private final Process process;
    private final Path log;

    private PastedCommand(Process process, Path log) {
        this.process = process;
        this.log = log;
    }

    static PastedCommand start(String commandLine, Path log) throws IOException {
        Path root = projectRoot();
        ProcessBuilder builder = new ProcessBuilder("sh", "-c", commandLine)
                .directory(root.toFile())
                .redirectErrorStream(true)
                .redirectOutput(log.toFile());
        builder.environment().put("JAVA", Path.of(System.getProperty("java.home"), "bin", "java").toString());
        return new PastedCommand(builder.start(), log);
    }

    /** Up from the working directory (the module's, or target/ once the shade plugin's reduced POM moved it there). */
    private static Path projectRoot() {
        Path start = Path.of("").toAbsolutePath();
        for (Path dir = start; dir != null; dir = dir.getParent()) {
            if (Files.isExecutable(dir.resolve(LAUNCHER))) {
                return dir;
            }
        }
        throw new IllegalStateException("no " + LAUNCHER + " in " + start + " or above it");
    }

    boolean isAlive() {
        return process.isAlive();
    }

    String log() {
        try {
            return Files.readString(log);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** SIGTERM to the shell and its descendants (the launcher execs java), as Ctrl-C would; then SIGKILL. */
    @Override
    public void close() throws Exception {
        // Listed first: once the shell is gone, what it started is no longer among its descendants.
        List<ProcessHandle> tree = Stream.concat(process.descendants(), Stream.of(process.toHandle())).toList();
        tree.forEach(ProcessHandle::destroy);
        for (ProcessHandle member : tree) {
            try {
                member.onExit().get(20, TimeUnit.SECONDS);
            } catch (TimeoutException e) {
                member.destroyForcibly();
                member.onExit().get(10, TimeUnit.SECONDS);
            }
        }
    }
}
