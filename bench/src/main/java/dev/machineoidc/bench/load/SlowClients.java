package dev.machineoidc.bench.load;

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
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Keeps {@code count} stalled clients connected to a unix socket, as a misbehaving or hostile local process would:
 * half send a request head one byte per {@link #TICK} and never finish it, half send a whole head and the start of a
 * body and then nothing. Whenever the server closes one, it connects again at the next tick, so about {@code count}
 * are open all the time. One thread and one selector drive them all.
 */
public final class SlowClients implements AutoCloseable {

    static final Duration TICK = Duration.ofMillis(200);
    private static final byte[] SLOW_HEAD = ("POST /v1/tokens/oidc HTTP/1.1\r\nHost: localhost\r\nX-Slow: "
            + "a".repeat(4000)).getBytes(StandardCharsets.US_ASCII);
    private static final byte[] PARTIAL_BODY = ("POST /v1/tokens/oidc HTTP/1.1\r\nHost: localhost\r\n"
            + "Content-Type: application/json\r\nContent-Length: 100\r\n\r\n{\"aud\":\"sts.").getBytes(StandardCharsets.US_ASCII);

    /** What the clients saw so far. */
    public record Tally(long connects, long refusedConnects, long closedByServer, long timeoutAnswers, long otherAnswers) {
    }

    private final Path socket;
    private final List<Client> clients = new ArrayList<>();
    private final Selector selector;
    private final Thread thread;
    private final AtomicLong connects = new AtomicLong();
    private final AtomicLong refusedConnects = new AtomicLong();
    private final AtomicLong closedByServer = new AtomicLong();
    private final AtomicLong timeoutAnswers = new AtomicLong();
    private final AtomicLong otherAnswers = new AtomicLong();
    private volatile int open;
    private volatile boolean running = true;

    private SlowClients(Path socket, int count) throws IOException {
        this.socket = socket;
        this.selector = Selector.open();
        for (int i = 0; i < count; i++) {
            clients.add(new Client(i % 2 == 0));
        }
        thread = new Thread(this::run, "slow-clients");
        thread.setDaemon(true);
        thread.start();
    }

    public static SlowClients start(Path socket, int count) throws IOException {
        return new SlowClients(socket, count);
    }

    /** Connections open right now (as of the last tick). */
    public int open() {
        return open;
    }

    public Tally tally() {
        return new Tally(connects.get(), refusedConnects.get(), closedByServer.get(), timeoutAnswers.get(), otherAnswers.get());
    }

    private void run() {
        long nextTick = System.nanoTime();
        try {
            while (running) {
                long wait = nextTick - System.nanoTime();
                if (wait > 0) {
                    selector.select(Math.max(1, TimeUnit.NANOSECONDS.toMillis(wait)));
                } else {
                    selector.selectNow();
                }
                for (SelectionKey key : selector.selectedKeys()) {
                    ((Client) key.attachment()).read();
                }
                selector.selectedKeys().clear();
                if (System.nanoTime() - nextTick >= 0) {
                    int connected = 0;
                    for (Client client : clients) {
                        connected += client.tick() ? 1 : 0;
                    }
                    open = connected;
                    nextTick += TICK.toNanos();
                }
            }
        } catch (IOException e) {
            throw new IllegalStateException("the slow clients' selector failed", e);
        }
    }

    @Override
    public void close() throws Exception {
        running = false;
        selector.wakeup();
        thread.join(TimeUnit.SECONDS.toMillis(5));
        for (Client client : clients) {
            client.disconnect();
        }
        selector.close();
    }

    /** One stalled client; used by the selector thread only. */
    private final class Client {

        private final boolean slowHead;
        private final ByteBuffer input = ByteBuffer.allocate(512);
        private SocketChannel channel;
        private int sent;
        private boolean answered;

        Client(boolean slowHead) {
            this.slowHead = slowHead;
        }

        /** Connects if need be and sends this tick's bytes; whether it is connected. */
        boolean tick() {
            try {
                if (channel == null) {
                    connect();
                } else if (slowHead && sent < SLOW_HEAD.length) {
                    channel.write(ByteBuffer.wrap(SLOW_HEAD, sent++, 1));
                }
            } catch (IOException e) {
                disconnect();
            }
            return channel != null;
        }

        private void connect() throws IOException {
            SocketChannel opened = SocketChannel.open(StandardProtocolFamily.UNIX);
            opened.configureBlocking(false);
            try {
                opened.connect(UnixDomainSocketAddress.of(socket));
                opened.finishConnect();
            } catch (IOException e) {
                // The accept queue is full (EAGAIN) or the server is gone: try again next tick.
                refusedConnects.incrementAndGet();
                opened.close();
                return;
            }
            channel = opened;
            connects.incrementAndGet();
            channel.register(selector, SelectionKey.OP_READ, this);
            sent = 0;
            answered = false;
            if (!slowHead) {
                channel.write(ByteBuffer.wrap(PARTIAL_BODY));
            }
        }

        void read() {
            try {
                input.clear();
                int read = channel.read(input);
                if (read > 0 && !answered) {
                    answered = true;
                    String start = new String(input.array(), 0, Math.min(read, 12), StandardCharsets.US_ASCII);
                    (start.startsWith("HTTP/1.1 408") ? timeoutAnswers : otherAnswers).incrementAndGet();
                }
                if (read < 0) {
                    closedByServer.incrementAndGet();
                    disconnect();
                }
            } catch (IOException e) {
                closedByServer.incrementAndGet();
                disconnect();
            }
        }

        void disconnect() {
            if (channel != null) {
                try {
                    channel.close();
                } catch (IOException ignored) {
                    // closing a broken connection: nothing left to do
                }
                channel = null;
            }
        }
    }
}
