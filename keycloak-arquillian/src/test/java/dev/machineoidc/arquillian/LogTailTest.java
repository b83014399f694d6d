package dev.machineoidc.arquillian;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.startsWith;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Collectors;
import java.util.stream.IntStream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class LogTailTest {

    @TempDir
    Path dir;

    @Test
    void lastLinesOfAShortLog() throws IOException {
        Path log = Files.writeString(dir.resolve("k.log"), "one\ntwo\nthree\n");

        assertThat(LogTail.lastLines(log, 2), equalTo("two\nthree"));
        assertThat(LogTail.lastLines(log, 60), equalTo("one\ntwo\nthree"));
    }

    @Test
    void lastLinesOfALogLargerThanTheReadWindow() throws IOException {
        String lines = IntStream.rangeClosed(1, 100_000).mapToObj(i -> "line " + i).collect(Collectors.joining("\n"));
        Path log = Files.writeString(dir.resolve("big.log"), lines + "\n");

        assertThat(LogTail.lastLines(log, 3), equalTo("line 99998\nline 99999\nline 100000"));
    }

    @Test
    void aMissingLogIsReportedNotThrown() {
        assertThat(LogTail.lastLines(dir.resolve("absent.log"), 60), startsWith("(no log file at "));
    }
}
