package dev.machineoidc.arquillian;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.stream.Stream;

/**
 * Ends a process and everything it started. kc.sh runs Keycloak's JVM as its child, so ending only the
 * script could leave the server (and its ports) behind.
 */
final class ProcessTree {

    /** How long a SIGKILLed process may take to disappear before we give up waiting. */
    private static final Duration KILL_WAIT = Duration.ofSeconds(10);

    private ProcessTree() {
    }

    /** SIGTERM to the whole tree, SIGKILL to what is still alive after {@code grace}; true when all are gone. */
    static boolean destroy(ProcessHandle root, Duration grace) {
        List<ProcessHandle> tree = tree(root);
        tree.forEach(ProcessHandle::destroy);
        if (awaitExit(tree, grace)) {
            return true;
        }
        tree.stream().filter(ProcessHandle::isAlive).forEach(ProcessHandle::destroyForcibly);
        return awaitExit(tree, KILL_WAIT);
    }

    /** SIGKILL to the whole tree at once, as a crash ends a server: no shutdown hook runs; true when all are gone. */
    static boolean kill(ProcessHandle root) {
        List<ProcessHandle> tree = tree(root);
        tree.forEach(ProcessHandle::destroyForcibly);
        return awaitExit(tree, KILL_WAIT);
    }

    /** A snapshot: once the script dies, its children are re-parented and no longer its descendants. */
    private static List<ProcessHandle> tree(ProcessHandle root) {
        return Stream.concat(Stream.of(root), root.descendants()).toList();
    }

    private static boolean awaitExit(List<ProcessHandle> processes, Duration timeout) {
        CompletableFuture<?>[] exits = processes.stream().map(ProcessHandle::onExit).toArray(CompletableFuture[]::new);
        try {
            CompletableFuture.allOf(exits).get(timeout.toMillis(), TimeUnit.MILLISECONDS);
            return true;
        } catch (TimeoutException | ExecutionException e) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }
}
