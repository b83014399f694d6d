package dev.machineoidc.arquillian;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Instant;
import java.util.List;
import java.util.Map;

/** Starts kc.sh commands in the distribution directory with a fixed environment, output appended to one log. */
final class ChildProcessLauncher {

    /** Starts the line written before each command, so that a build and each (re)start can be told apart. */
    static final String HEADER_PREFIX = "==== ";

    private final Path workingDirectory;
    private final Map<String, String> environment;
    private final Path log;

    ChildProcessLauncher(Path workingDirectory, Map<String, String> environment, Path log) {
        this.workingDirectory = workingDirectory;
        this.environment = Map.copyOf(environment);
        this.log = log;
    }

    Process start(List<String> command) throws IOException {
        Files.createDirectories(log.getParent());
        Files.writeString(log, HEADER_PREFIX + Instant.now() + " " + String.join(" ", command) + "\n",
                StandardCharsets.UTF_8, StandardOpenOption.CREATE, StandardOpenOption.APPEND);
        ProcessBuilder builder = new ProcessBuilder(command)
                .directory(workingDirectory.toFile())
                .redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()));
        builder.environment().clear();
        builder.environment().putAll(environment);
        Process process = builder.start();
        process.getOutputStream().close(); // nothing is ever typed into Keycloak
        return process;
    }
}
