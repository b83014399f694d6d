package dev.machineoidc.arquillian;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.empty;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.is;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.UUID;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class LeftoverProcessesTest {

    @TempDir
    Path dir;

    /** A process whose command line carries {@code marker}, as a leftover kc.sh's does. */
    private static Process markedProcess(String marker) throws IOException {
        return new ProcessBuilder("sh", "-c", "sleep 300 & wait", marker).start();
    }

    @Test
    void endsTheRecordedProcessAndForgetsThePidFile() throws IOException {
        String marker = "-Dtest.marker=" + UUID.randomUUID();
        Process leftover = markedProcess(marker);
        LeftoverProcesses leftovers = new LeftoverProcesses(dir.resolve("keycloak.pid"), marker);
        leftovers.record(leftover.toHandle());

        // hasItem, not contains: sh's fork for 'sleep' carries the marker too until it execs, and is ended as well.
        assertThat(leftovers.endAll(Duration.ofSeconds(10)), hasItem(leftover.pid()));

        assertThat(leftover.isAlive(), is(false));
        assertThat(Files.exists(dir.resolve("keycloak.pid")), is(false));
    }

    @Test
    void findsAMarkedProcessWhosePidFileIsGone() throws IOException {
        String marker = "-Dtest.marker=" + UUID.randomUUID();
        Process leftover = markedProcess(marker);

        new LeftoverProcesses(dir.resolve("keycloak.pid"), marker).endAll(Duration.ofSeconds(10));

        assertThat(leftover.isAlive(), is(false));
    }

    @Test
    void leavesARecordedPidAloneWhenItIsNotOurs() throws IOException {
        Process stranger = markedProcess("-Dtest.marker=someone-else");
        try {
            LeftoverProcesses leftovers = new LeftoverProcesses(dir.resolve("keycloak.pid"), "-Dtest.marker=ours");
            leftovers.record(stranger.toHandle());

            assertThat(leftovers.endAll(Duration.ofSeconds(10)), empty());
            assertThat(stranger.isAlive(), is(true));
        } finally {
            ProcessTree.destroy(stranger.toHandle(), Duration.ofSeconds(10));
        }
    }
}
