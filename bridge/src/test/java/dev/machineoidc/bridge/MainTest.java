package dev.machineoidc.bridge;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.not;

import dev.machineoidc.bridge.config.Option;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** The command line in a child JVM: exit codes and what reaches the terminal. */
@Timeout(120)
class MainTest {

    @TempDir
    Path dir;

    private record Run(int exitCode, String stdout, String stderr) {
    }

    private Run run(String... args) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp", System.getProperty("java.class.path"),
                Main.class.getName()));
        command.addAll(List.of(args));
        Path out = dir.resolve("out");
        Path err = dir.resolve("err");
        Process process = new ProcessBuilder(command).redirectOutput(out.toFile()).redirectError(err.toFile()).start();
        if (!process.waitFor(60, TimeUnit.SECONDS)) {
            process.destroyForcibly();
            throw new AssertionError("the bridge did not exit");
        }
        return new Run(process.exitValue(), Files.readString(out, StandardCharsets.UTF_8),
                Files.readString(err, StandardCharsets.UTF_8));
    }

    @Test
    void helpListsEveryOptionAndExitsZero() throws Exception {
        Run run = run("--help");

        assertThat(run.exitCode(), equalTo(0));
        for (Option option : Option.values()) {
            assertThat(run.stdout(), containsString(option.flag()));
            assertThat(run.stdout(), containsString(option.environmentVariable()));
        }
    }

    @Test
    void invalidOptionsExitTwo() throws Exception {
        Run run = run("--keycloak-url", "http://127.0.0.1:1", "--org", "acme", "--machine-id", "nope");

        assertThat(run.exitCode(), equalTo(2));
        assertThat(run.stderr(), containsString("machine id must be 14 lowercase hex characters"));
        assertThat(run.stderr(), containsString("--help"));
    }

    @Test
    void aMetricsAddressOffLoopbackIsAUsageError() throws Exception {
        Run run = run("--keycloak-url", "http://127.0.0.1:1", "--org", "acme", "--machine-id", "148e21ea7e46e8",
                "--metrics-address", "0.0.0.0:9464");

        assertThat(run.exitCode(), equalTo(2));
        assertThat(run.stderr(), containsString("--metrics-address: metrics are served on loopback only"));
    }

    @Test
    void notEnrolledExitsOneWithAClearMessageAndNoStackTrace() throws Exception {
        Run run = run("--keycloak-url", "http://127.0.0.1:1", "--org", "acme", "--machine-id", "148e21ea7e46e8",
                "--state-dir", dir.resolve("state").toString(), "--socket-path", dir.resolve("api").toString());

        assertThat(run.exitCode(), equalTo(1));
        assertThat(run.stderr(), containsString("not enrolled"));
        assertThat(run.stderr(), not(containsString("\tat ")));
        assertThat(Files.exists(dir.resolve("api")), equalTo(false));
    }
}
