package dev.machineoidc.keycloak.it.support;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A server (nginx, Apache) run in the foreground as a child process of the test: started, awaited until it accepts
 * connections on its port, and stopped with it. Its output and log files explain a failed start.
 */
final class ListeningProcess implements AutoCloseable {

    private final Process process;
    private final List<Path> logs;

    private ListeningProcess(Process process, List<Path> logs) {
        this.process = process;
        this.logs = logs;
    }

    /** Starts {@code command}, its output going to {@code logs.get(0)}, and waits until 127.0.0.1:{@code port} accepts. */
    static ListeningProcess start(String name, List<String> command, int port, List<Path> logs) throws IOException {
        Process process = new ProcessBuilder(command)
                .redirectErrorStream(true)
                .redirectOutput(logs.get(0).toFile())
                .start();
        ListeningProcess server = new ListeningProcess(process, logs);
        try {
            Poll.until(name + " on port " + port, Duration.ofSeconds(20), () -> {
                if (!process.isAlive()) {
                    throw new AssertionError(name + " exited: " + server.log());
                }
                try (Socket socket = new Socket()) {
                    socket.connect(new InetSocketAddress("127.0.0.1", port), 200);
                    return true;
                } catch (IOException e) {
                    return false;
                }
            });
        } catch (AssertionError e) {
            server.close();
            throw e;
        }
        return server;
    }

    String log() {
        StringBuilder log = new StringBuilder();
        for (Path file : logs) {
            try {
                if (Files.exists(file)) {
                    log.append(Files.readString(file));
                }
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        return log.toString();
    }

    @Override
    public void close() {
        process.destroy();
        try {
            if (!process.waitFor(10, TimeUnit.SECONDS)) {
                process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
