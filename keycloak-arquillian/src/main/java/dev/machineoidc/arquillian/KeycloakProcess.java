package dev.machineoidc.arquillian;

import java.time.Duration;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * One running {@code kc.sh start}. A JVM shutdown hook ends it when the test JVM exits without stopping the
 * container (Ctrl-C, System.exit, SIGTERM); a SIGKILLed JVM is covered by {@link LeftoverProcesses}.
 */
final class KeycloakProcess {

    private final Process process;
    private final Thread shutdownHook;

    KeycloakProcess(Process process, Duration stopGrace) {
        this.process = process;
        this.shutdownHook = new Thread(() -> ProcessTree.destroy(process.toHandle(), stopGrace),
                "keycloak-" + process.pid() + "-shutdown");
        Runtime.getRuntime().addShutdownHook(shutdownHook);
    }

    ProcessHandle handle() {
        return process.toHandle();
    }

    boolean isAlive() {
        return process.isAlive();
    }

    int exitValue() {
        return process.exitValue();
    }

    /** Pauses up to {@code timeout}, returning early when the process exits. */
    void awaitExit(Duration timeout) throws InterruptedException {
        try {
            process.onExit().get(timeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (TimeoutException | ExecutionException e) {
            // still running (or the wait failed): the caller checks isAlive() and its deadline
        }
    }

    /** Ends the process tree; true when it is gone. */
    boolean destroy(Duration grace) {
        return unhooked(ProcessTree.destroy(process.toHandle(), grace));
    }

    /** Ends the process tree with SIGKILL only, as a crash would; true when it is gone. */
    boolean kill() {
        return unhooked(ProcessTree.kill(process.toHandle()));
    }

    private boolean unhooked(boolean ended) {
        try {
            Runtime.getRuntime().removeShutdownHook(shutdownHook);
        } catch (IllegalStateException e) {
            // the JVM is already shutting down: the hook may be running and does the same thing
        }
        return ended;
    }
}
