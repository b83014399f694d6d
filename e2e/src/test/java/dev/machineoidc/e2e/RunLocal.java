package dev.machineoidc.e2e;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import java.util.stream.Collectors;

/**
 * One {@code ./run-local.sh} in a checkout, as a user runs it in a terminal: its output (stdout and stderr) goes to
 * a file the test reads, stdin is empty, and it is stopped with the signal Ctrl-C sends.
 */
final class RunLocal implements AutoCloseable {

    private static final int SIGINT = 2;

    private final Path checkout;
    private final Path output;
    private final Process process;

    private RunLocal(Path checkout, Path output, Process process) {
        this.checkout = checkout;
        this.output = output;
        this.process = process;
    }

    static RunLocal start(Path checkout, Map<String, String> environment, Path output) throws IOException {
        Files.createDirectories(output.getParent());
        ProcessBuilder builder = new ProcessBuilder("./run-local.sh")
                .directory(checkout.toFile())
                .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")))
                .redirectErrorStream(true)
                .redirectOutput(output.toFile());
        builder.environment().clear();
        builder.environment().putAll(environment);
        return new RunLocal(checkout, output, builder.start());
    }

    long pid() {
        return process.pid();
    }

    boolean isAlive() {
        return process.isAlive();
    }

    /** Everything printed so far. */
    String output() {
        try {
            return Files.readString(output, StandardCharsets.UTF_8);
        } catch (IOException e) {
            return "(cannot read " + output + ": " + e + ")";
        }
    }

    List<String> lines() {
        return output().lines().collect(Collectors.toList());
    }

    /** Waits for a line of output; fails early when the script ends first. */
    String awaitLine(Predicate<String> wanted, Duration timeout) throws InterruptedException {
        Instant deadline = Instant.now().plus(timeout);
        while (true) {
            Optional<String> line = lines().stream().filter(wanted).findFirst();
            if (line.isPresent()) {
                return line.get();
            }
            if (!process.isAlive()) {
                throw new AssertionError("./run-local.sh exited with " + process.exitValue() + " before the expected line"
                        + describe());
            }
            if (Instant.now().isAfter(deadline)) {
                throw new AssertionError("no expected line from ./run-local.sh within " + timeout + describe());
            }
            Thread.sleep(250);
        }
    }

    /** Every process the script started and that is still running: the test's view of "what it started". */
    List<ProcessHandle> descendants() {
        return process.descendants().collect(Collectors.toList());
    }

    /**
     * Ctrl-C: SIGINT to the script. A process that inherited SIGINT as ignored (a shell without job control started
     * an ancestor in the background) cannot trap it in bash; then SIGTERM, which the script handles the same way.
     *
     * @return the exit status the script must end with: 130 after SIGINT, 143 after SIGTERM
     */
    int interrupt() throws IOException, InterruptedException {
        boolean intIgnored = signalIgnored(process.pid(), SIGINT);
        String signal = intIgnored ? "TERM" : "INT";
        // bash's builtin kill: a minimal Debian has no procps, hence no /bin/kill.
        Process kill = new ProcessBuilder("bash", "-c", "kill -" + signal + " " + process.pid())
                .redirectErrorStream(true).start();
        if (!kill.waitFor(30, TimeUnit.SECONDS) || kill.exitValue() != 0) {
            throw new AssertionError("could not send SIG" + signal + " to " + process.pid());
        }
        return intIgnored ? 143 : 130;
    }

    /** @return the exit status, or fails when the script is still running after the timeout */
    int awaitExit(Duration timeout) throws InterruptedException {
        if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
            throw new AssertionError("./run-local.sh still runs " + timeout + " after the signal" + describe());
        }
        return process.exitValue();
    }

    /** The script's output and the tails of its logs, for failure messages. */
    String describe() {
        StringBuilder text = new StringBuilder("\n--- ./run-local.sh output (").append(output).append(") ---\n")
                .append(output());
        Path logs = checkout.resolve(".local/logs");
        for (String name : List.of("build.log", "kc-build.log", "keycloak.log", "bridge.log")) {
            Path log = logs.resolve(name);
            if (Files.isRegularFile(log)) {
                try {
                    List<String> lines = Files.readAllLines(log, StandardCharsets.UTF_8);
                    text.append("\n--- last lines of ").append(log).append(" ---\n")
                            .append(String.join("\n", lines.subList(Math.max(0, lines.size() - 30), lines.size())));
                } catch (IOException e) {
                    text.append("\n(cannot read ").append(log).append(")");
                }
            }
        }
        return text.toString();
    }

    /** Leaves nothing running, whatever state the test left the script in. */
    @Override
    public void close() throws Exception {
        List<ProcessHandle> tree = descendants();
        if (process.isAlive()) {
            new ProcessBuilder("bash", "-c", "kill -TERM " + process.pid()).start().waitFor(30, TimeUnit.SECONDS);
            process.waitFor(90, TimeUnit.SECONDS);
        }
        for (ProcessHandle handle : tree) {
            handle.destroyForcibly();
        }
        process.destroyForcibly();
        process.waitFor(30, TimeUnit.SECONDS);
    }

    /** Bit {@code signal - 1} of {@code SigIgn} in /proc/&lt;pid&gt;/status. */
    static boolean signalIgnored(long pid, int signal) {
        try {
            for (String line : Files.readAllLines(Path.of("/proc", Long.toString(pid), "status"))) {
                if (line.startsWith("SigIgn:")) {
                    long mask = Long.parseUnsignedLong(line.substring("SigIgn:".length()).trim(), 16);
                    return (mask & (1L << (signal - 1))) != 0;
                }
            }
        } catch (IOException | NumberFormatException e) {
            // no /proc: assume the default disposition
        }
        return false;
    }
}
