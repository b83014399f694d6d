package dev.machineoidc.arquillian;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * Servers that an earlier test JVM launched and never stopped (it was killed with SIGKILL, say): their
 * ports would make this run fail. Found through the pid file written at launch and, should that file be gone
 * ({@code mvn clean}), through the marker argument on their command line; a process counts only if its
 * command line carries this container's marker, so a recycled pid is never hit.
 */
final class LeftoverProcesses {

    private final Path pidFile;
    private final String marker;

    LeftoverProcesses(Path pidFile, String marker) {
        this.pidFile = pidFile;
        this.marker = marker;
    }

    Path pidFile() {
        return pidFile;
    }

    void record(ProcessHandle process) throws IOException {
        Files.createDirectories(pidFile.getParent());
        Files.writeString(pidFile, process.pid() + "\n");
    }

    void forget() throws IOException {
        Files.deleteIfExists(pidFile);
    }

    /** Ends every live process of this container with its children; returns their pids. */
    List<Long> endAll(Duration grace) throws IOException {
        List<ProcessHandle> leftovers = Stream.concat(recorded().stream(), ProcessHandle.allProcesses())
                .filter(ProcessHandle::isAlive)
                .filter(this::carriesMarker)
                .distinct()
                .toList();
        leftovers.forEach(process -> ProcessTree.destroy(process, grace));
        forget();
        return leftovers.stream().map(ProcessHandle::pid).toList();
    }

    private Optional<ProcessHandle> recorded() throws IOException {
        if (!Files.isRegularFile(pidFile)) {
            return Optional.empty();
        }
        try {
            return ProcessHandle.of(Long.parseLong(Files.readString(pidFile).trim()));
        } catch (NumberFormatException e) {
            return Optional.empty(); // a truncated file from a crash: the scan still finds the process
        }
    }

    private boolean carriesMarker(ProcessHandle process) {
        return process.info().arguments().map(arguments -> Arrays.asList(arguments).contains(marker)).orElse(false);
    }
}
