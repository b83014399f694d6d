package dev.machineoidc.bridge.testing;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.eclipse.jetty.logging.JettyLogger;
import org.eclipse.jetty.logging.StdErrAppender;
import org.slf4j.LoggerFactory;

/**
 * Everything the bridge logs while open, exactly as its production logging (Jetty's SLF4J binding, one
 * appender for every logger) renders it; the lines still reach stderr as well.
 */
public final class LogCapture implements AutoCloseable {

    private final StdErrAppender appender;
    private final PrintStream original;
    private final ByteArrayOutputStream captured = new ByteArrayOutputStream();

    private LogCapture() {
        appender = (StdErrAppender) ((JettyLogger) LoggerFactory.getLogger("dev.machineoidc.bridge")).getAppender();
        // Null means "System.err at each line", which is where the lines keep going.
        original = appender.getStream();
        PrintStream stderr = original != null ? original : System.err;
        appender.setStream(new PrintStream(new Tee(stderr, captured), true, StandardCharsets.UTF_8));
    }

    public static LogCapture start() {
        return new LogCapture();
    }

    public String text() {
        synchronized (captured) {
            return captured.toString(StandardCharsets.UTF_8);
        }
    }

    public List<String> lines() {
        return text().lines().toList();
    }

    /** The access log's lines: one per socket request. */
    public List<String> accessLines() {
        // The logger's name as jetty-logging.properties renders it: condensed, or in full with NAME_CONDENSE=false.
        return lines().stream().filter(line -> line.contains(":dmb.access:")
                || line.contains(":dev.machineoidc.bridge.access:")).toList();
    }

    @Override
    public void close() {
        appender.setStream(original);
    }

    private static final class Tee extends OutputStream {

        private final OutputStream first;
        private final ByteArrayOutputStream second;

        Tee(OutputStream first, ByteArrayOutputStream second) {
            this.first = first;
            this.second = second;
        }

        @Override
        public void write(int b) {
            synchronized (second) {
                second.write(b);
            }
            try {
                first.write(b);
            } catch (IOException ignored) {
                // stderr gone: the capture is what the test reads
            }
        }

        @Override
        public void write(byte[] bytes, int offset, int length) {
            synchronized (second) {
                second.write(bytes, offset, length);
            }
            try {
                first.write(bytes, offset, length);
            } catch (IOException ignored) {
                // as above
            }
        }

        @Override
        public void flush() throws IOException {
            first.flush();
        }
    }
}
