package dev.machineoidc.bridge.socket;

import dev.machineoidc.bridge.api.ErrorBody;
import dev.machineoidc.bridge.api.RequestBody;
import jakarta.servlet.http.HttpServlet;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.time.Duration;
import java.util.Set;
import org.eclipse.jetty.ee10.servlet.ServletContextHandler;
import org.eclipse.jetty.ee10.servlet.ServletHolder;
import org.eclipse.jetty.server.HttpConfiguration;
import org.eclipse.jetty.server.HttpConnectionFactory;
import org.eclipse.jetty.server.NetworkConnectionLimit;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.unixdomain.server.UnixDomainServerConnector;
import org.eclipse.jetty.util.thread.QueuedThreadPool;

/**
 * Jetty serving the API's servlets on a unix socket. The socket file gets the configured mode once bound and
 * is removed again when the server stops (the connector deletes it).
 *
 * <p>Slow clients cost no thread: heads are parsed as bytes come and bodies read the same way before the servlet
 * runs ({@link RequestIntake}), and each request must arrive whole within {@link #READ_DEADLINE} of its first byte
 * ({@link ReadDeadlines}). Threads are only for answering, i.e. minting. At most {@link #MAX_CONNECTIONS} are open;
 * at the cap the bridge stops accepting (the kernel queues further connects, up to the accept backlog) and idle
 * connections close after {@link #IDLE_TIMEOUT_AT_CAP} instead of {@link #IDLE_TIMEOUT}, so a slot frees within
 * about two seconds. {@link #stop()} is graceful: no more connects, requests in progress are answered, new ones
 * get 503 {@code shutting_down}, all within {@link #STOP_TIMEOUT}.
 */
public final class SocketServer {

    /** Threads answer requests (they wait on Keycloak); few idle ones to keep memory small. */
    private static final int MAX_THREADS = 32;
    private static final int MIN_THREADS = 2;
    /** Per request, head and body, from its first byte (or from connecting, for a connection's first request). */
    public static final Duration READ_DEADLINE = Duration.ofSeconds(2);
    private static final Duration SWEEP_INTERVAL = Duration.ofMillis(100);
    public static final int MAX_CONNECTIONS = 1024;
    /** Far above a burst of 200 simultaneous connects, which overflowed the 128 of before for non-blocking clients. */
    public static final int DEFAULT_ACCEPT_BACKLOG = 1024;
    private static final Duration IDLE_TIMEOUT = Duration.ofSeconds(30);
    private static final Duration IDLE_TIMEOUT_AT_CAP = Duration.ofSeconds(1);
    /** Above the 1.8 s a mint may take, so every request in progress at a stop gets its answer. */
    public static final Duration STOP_TIMEOUT = Duration.ofSeconds(2);
    /**
     * How much of an oversized body is read and dropped before the servlet's 413: a client still sending would
     * otherwise hit a closed connection (EPIPE) and never see the answer. Larger bodies get the connection closed.
     */
    private static final long MAX_BODY_READ = 1024 * 1024;

    private final Path path;
    private final Set<PosixFilePermission> mode;
    private final Server server;
    private final ServletContextHandler context;
    private final ReadDeadlines deadlines = new ReadDeadlines(READ_DEADLINE, SWEEP_INTERVAL);

    public SocketServer(Path path, Set<PosixFilePermission> mode, int acceptBacklog, HttpServlet servlet,
                        ErrorBody errorBody) {
        if (path.toAbsolutePath().toString().getBytes(StandardCharsets.UTF_8).length > SocketPath.MAX_LENGTH) {
            throw new IllegalArgumentException("socket path longer than " + SocketPath.MAX_LENGTH + " bytes: " + path);
        }
        this.path = path;
        this.mode = Set.copyOf(mode);

        QueuedThreadPool threads = new QueuedThreadPool(MAX_THREADS, MIN_THREADS);
        threads.setName("bridge-socket");
        threads.setReservedThreads(0);
        server = new Server(threads);
        server.setStopTimeout(STOP_TIMEOUT.toMillis());

        HttpConfiguration http = new HttpConfiguration();
        http.setSendServerVersion(false);
        http.setSendXPoweredBy(false);
        UnixDomainServerConnector connector = new UnixDomainServerConnector(server, 1, 1, new HttpConnectionFactory(http));
        connector.setUnixDomainPath(path);
        connector.setAcceptQueueSize(acceptBacklog);
        connector.setIdleTimeout(IDLE_TIMEOUT.toMillis());
        connector.addEventListener(deadlines);
        server.addConnector(connector);
        NetworkConnectionLimit limit = new NetworkConnectionLimit(MAX_CONNECTIONS, connector);
        limit.setEndPointIdleTimeout(IDLE_TIMEOUT_AT_CAP.toMillis());
        server.addBean(limit);

        context = new ServletContextHandler();
        context.setContextPath("/");
        context.addServlet(new ServletHolder("tokens", servlet), "/*");
        // One byte past the servlet's limit tells "exactly the limit" from "more".
        server.setHandler(new RequestIntake(context, deadlines, new JsonAnswers(errorBody, READ_DEADLINE),
                RequestBody.LIMIT + 1, MAX_BODY_READ));
        server.setErrorHandler(new JsonErrorHandler(errorBody));
    }

    /** With the default accept backlog. */
    public SocketServer(Path path, Set<PosixFilePermission> mode, HttpServlet servlet, ErrorBody errorBody) {
        this(path, mode, DEFAULT_ACCEPT_BACKLOG, servlet, errorBody);
    }

    /** Serves {@code servlet} at exactly {@code path}, ahead of the constructor's, which takes every other path. */
    public void serve(String path, HttpServlet servlet) {
        context.addServlet(new ServletHolder(servlet), path);
    }

    public Path path() {
        return path;
    }

    public void start() throws Exception {
        SocketPath.claim(path);
        try {
            server.start();
            Files.setPosixFilePermissions(path, mode);
            deadlines.start(server.getScheduler());
        } catch (Exception e) {
            server.stop();
            throw e;
        }
    }

    /** Graceful, within {@link #STOP_TIMEOUT}; then every connection is closed and the socket file removed. */
    public void stop() throws Exception {
        try {
            server.stop();
        } finally {
            deadlines.stop();
        }
    }

    /** Connections open now. */
    int connections() {
        return deadlines.size();
    }
}
