package dev.machineoidc.arquillian;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.SeekableByteChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/** The end of the server log, for failure messages: what went wrong is almost always in the last lines. */
final class LogTail {

    /** Bounds the read so that a huge log never costs more than this much memory. */
    private static final int MAX_BYTES = 256 * 1024;

    private LogTail() {
    }

    static String lastLines(Path log, int count) {
        if (!Files.isRegularFile(log)) {
            return "(no log file at " + log + ")";
        }
        try (SeekableByteChannel channel = Files.newByteChannel(log)) {
            long start = Math.max(0, channel.size() - MAX_BYTES);
            ByteBuffer buffer = ByteBuffer.allocate((int) (channel.size() - start));
            channel.position(start);
            int read;
            do {
                read = channel.read(buffer);
            } while (read > 0 && buffer.hasRemaining());
            List<String> lines = new String(buffer.array(), 0, buffer.position(), StandardCharsets.UTF_8).lines().toList();
            // A read that starts mid-file starts mid-line: drop that partial first line.
            int from = start > 0 && !lines.isEmpty() ? 1 : 0;
            return String.join("\n", lines.subList(Math.max(from, lines.size() - count), lines.size()));
        } catch (IOException e) {
            return "(could not read " + log + ": " + e + ")";
        }
    }
}
