package dev.machineoidc.bridge.testing;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;

/**
 * One unix-socket connection that sends exactly the bytes a test gives it, as a broken or slow client would, and
 * reads answers with a deadline, so a server that never answers fails the test instead of hanging it.
 */
public final class RawConnection implements AutoCloseable {

    private final SocketChannel channel;
    private final Selector selector;
    private final ByteArrayOutputStream received = new ByteArrayOutputStream();
    private boolean closedByServer;

    private RawConnection(SocketChannel channel) throws IOException {
        this.channel = channel;
        channel.configureBlocking(false);
        selector = Selector.open();
        channel.register(selector, SelectionKey.OP_READ);
    }

    public static RawConnection open(Path socket) throws IOException {
        return new RawConnection(SocketChannel.open(UnixDomainSocketAddress.of(socket)));
    }

    /**
     * Connects the way a non-blocking client does: when the socket's accept queue is full the kernel refuses at
     * once (EAGAIN) instead of making the caller wait, and this throws.
     */
    public static RawConnection openNonBlocking(Path socket) throws IOException {
        SocketChannel channel = SocketChannel.open(StandardProtocolFamily.UNIX);
        try {
            channel.configureBlocking(false);
            if (!channel.connect(UnixDomainSocketAddress.of(socket))) {
                throw new IOException("a unix-socket connect did not complete at once");
            }
            return new RawConnection(channel);
        } catch (IOException e) {
            channel.close();
            throw e;
        }
    }

    public RawConnection send(String ascii) throws IOException {
        return send(ascii.getBytes(StandardCharsets.ISO_8859_1));
    }

    /** Writes all of {@code bytes}; fails if the server stops taking them for 5 s. */
    public RawConnection send(byte[] bytes) throws IOException {
        ByteBuffer buffer = ByteBuffer.wrap(bytes);
        long deadline = System.nanoTime() + Duration.ofSeconds(5).toNanos();
        while (buffer.hasRemaining()) {
            if (channel.write(buffer) == 0) {
                if (System.nanoTime() > deadline) {
                    throw new IOException("the server took no bytes for 5 s");
                }
                Thread.onSpinWait();
            }
        }
        return this;
    }

    /** Half-closes: the server reads end-of-stream after what was sent. */
    public RawConnection endOutput() throws IOException {
        channel.shutdownOutput();
        return this;
    }

    /** Everything the server sent until it closed the connection; fails after {@code timeout}. */
    public byte[] readUntilClosed(Duration timeout) throws IOException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!closedByServer) {
            long left = deadline - System.nanoTime();
            if (left <= 0) {
                throw new AssertionError("the server did not close the connection within " + timeout);
            }
            readAvailable(left);
        }
        return received.toByteArray();
    }

    /** The next complete answer (head and, by Content-Length, body); fails after {@code timeout}. */
    public RawResponse readResponse(Duration timeout) throws IOException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (true) {
            Optional<RawResponse> response = RawResponse.parseComplete(received.toByteArray());
            if (response.isPresent()) {
                byte[] rest = received.toByteArray();
                received.reset();
                received.write(rest, response.get().length(), rest.length - response.get().length());
                return response.get();
            }
            long left = deadline - System.nanoTime();
            if (closedByServer || left <= 0) {
                throw new AssertionError(closedByServer ? "closed by the server without a complete answer: "
                        + new String(received.toByteArray(), StandardCharsets.ISO_8859_1) : "no answer within " + timeout);
            }
            readAvailable(left);
        }
    }

    /** Whether the server has closed the connection, looking for up to {@code wait}. */
    public boolean closedByServer(Duration wait) throws IOException {
        long deadline = System.nanoTime() + wait.toNanos();
        do {
            readAvailable(deadline - System.nanoTime());
        } while (!closedByServer && System.nanoTime() < deadline);
        return closedByServer;
    }

    public int bytesReceived() {
        return received.size();
    }

    private void readAvailable(long nanos) throws IOException {
        if (nanos > 1_000_000) {
            selector.select(nanos / 1_000_000);
        } else {
            selector.selectNow();
        }
        selector.selectedKeys().clear();
        ByteBuffer buffer = ByteBuffer.allocate(8192);
        int read;
        try {
            while ((read = channel.read(buffer)) > 0) {
                received.write(buffer.array(), 0, read);
                buffer.clear();
            }
        } catch (IOException e) {
            // A reset is the server closing too.
            read = -1;
        }
        if (read < 0) {
            closedByServer = true;
        }
    }

    @Override
    public void close() throws IOException {
        selector.close();
        channel.close();
    }
}
