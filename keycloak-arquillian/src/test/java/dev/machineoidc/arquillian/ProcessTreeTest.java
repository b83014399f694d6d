package dev.machineoidc.arquillian;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.hasSize;
import static org.hamcrest.Matchers.is;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ProcessTreeTest {

    @Test
    void endsTheScriptAndTheChildItStarted() throws IOException, InterruptedException {
        // Like kc.sh: a shell that runs the real work as its child and waits for it.
        Process script = new ProcessBuilder("sh", "-c", "sleep 300 & wait").start();
        List<ProcessHandle> children = awaitChildren(script.toHandle());

        assertThat(ProcessTree.destroy(script.toHandle(), Duration.ofSeconds(10)), is(true));

        assertThat(script.isAlive(), is(false));
        assertThat(children.get(0).isAlive(), is(false));
    }

    @Test
    void killsWhatIgnoresSigterm() throws IOException, InterruptedException {
        Process stubborn = new ProcessBuilder("sh", "-c", "trap '' TERM; while :; do sleep 1; done").start();
        awaitChildren(stubborn.toHandle());

        assertThat(ProcessTree.destroy(stubborn.toHandle(), Duration.ofMillis(500)), is(true));

        assertThat(stubborn.isAlive(), is(false));
    }

    @Test
    void killEndsTheTreeWithoutGivingItAChanceToShutDown(@TempDir Path dir) throws IOException, InterruptedException {
        Path shutdownRan = dir.resolve("shutdown-ran");
        Process script = new ProcessBuilder("sh", "-c", "trap 'touch " + shutdownRan + "; exit 0' TERM; sleep 300 & wait")
                .start();
        List<ProcessHandle> children = awaitChildren(script.toHandle());

        assertThat(ProcessTree.kill(script.toHandle()), is(true));

        assertThat(script.isAlive(), is(false));
        assertThat(children.get(0).isAlive(), is(false));
        assertThat("the TERM trap ran", Files.exists(shutdownRan), is(false));
    }

    static List<ProcessHandle> awaitChildren(ProcessHandle parent) throws InterruptedException {
        Deadline deadline = Deadline.after(Duration.ofSeconds(10));
        while (parent.children().findAny().isEmpty() && !deadline.expired()) {
            Thread.sleep(20);
        }
        List<ProcessHandle> children = parent.children().toList();
        assertThat(children, hasSize(1));
        return children;
    }
}
