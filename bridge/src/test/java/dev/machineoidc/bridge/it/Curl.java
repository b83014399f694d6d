package dev.machineoidc.bridge.it;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/** The real curl, as a workload would run it; optionally as another user through {@code setpriv}. Also runs other commands. */
final class Curl {

    private static final long TIMEOUT_SECONDS = 30;

    private Curl() {
    }

    record Result(int exitCode, String stdout, String stderr) {

        /** With {@link #postWithStatus}: the HTTP status, written by {@code -w} after the body. */
        int status() {
            return Integer.parseInt(stdout.substring(stdout.lastIndexOf('\n') + 1).trim());
        }

        /** With {@link #postWithStatus}: the body without the status line. */
        String body() {
            return stdout.substring(0, stdout.lastIndexOf('\n'));
        }
    }

    /** Exactly the contract's example: {@code curl --unix-socket <path> -X POST http://localhost/v1/tokens/oidc --data '<json>'}. */
    static Result contractExample(Path socket, String json) throws Exception {
        return run(List.of("curl", "--unix-socket", socket.toString(), "-X", "POST", "http://localhost/v1/tokens/oidc",
                "--data", json));
    }

    /** The same POST, silent but for errors, with the status code on a line of its own after the body. */
    static Result postWithStatus(Path socket, String json, List<String> runAs) throws Exception {
        List<String> command = new ArrayList<>(runAs);
        command.addAll(List.of("curl", "-sS", "--unix-socket", socket.toString(), "-X", "POST",
                "http://localhost/v1/tokens/oidc", "--data", json, "-w", "\n%{http_code}"));
        return run(command);
    }

    /** {@code setpriv} to {@code uid}:{@code gid} with no supplementary groups. */
    static List<String> asUser(int uid, int gid) {
        return List.of("setpriv", "--reuid=" + uid, "--regid=" + gid, "--clear-groups");
    }

    static Result run(List<String> command) throws Exception {
        Process process = new ProcessBuilder(command).start();
        process.getOutputStream().close();
        CompletableFuture<byte[]> stdout = CompletableFuture.supplyAsync(() -> readAll(process.getInputStream()));
        CompletableFuture<byte[]> stderr = CompletableFuture.supplyAsync(() -> readAll(process.getErrorStream()));
        if (!process.waitFor(TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
            process.destroyForcibly();
            throw new AssertionError(command.get(0) + " did not finish within " + TIMEOUT_SECONDS + " s");
        }
        return new Result(process.exitValue(),
                new String(stdout.get(5, TimeUnit.SECONDS), StandardCharsets.UTF_8),
                new String(stderr.get(5, TimeUnit.SECONDS), StandardCharsets.UTF_8));
    }

    private static byte[] readAll(InputStream in) {
        try (in) {
            return in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
