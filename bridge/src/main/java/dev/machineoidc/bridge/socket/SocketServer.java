package dev.machineoidc.bridge.socket;

import dev.machineoidc.bridge.api.ErrorBody;
import jakarta.servlet.http.HttpServlet;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.util.Set;
import org.eclipse.jetty.ee10.servlet.ServletContextHandler;
import org.eclipse.jetty.ee10.servlet.ServletHolder;
import org.eclipse.jetty.server.HttpConfiguration;
import org.eclipse.jetty.server.HttpConnectionFactory;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.unixdomain.server.UnixDomainServerConnector;
import org.eclipse.jetty.util.thread.QueuedThreadPool;

/**
 * Jetty serving the API's servlets on a unix socket. The socket file gets the configured mode once bound and
 * is removed again when the server stops (the connector deletes it).
 */
public final class SocketServer {

    /** Enough for concurrent callers that wait on Keycloak; few idle threads to keep memory small. */
    private static final int MAX_THREADS = 32;
    private static final int MIN_THREADS = 2;
    private static final int ACCEPT_QUEUE = 128;
    private static final long IDLE_TIMEOUT_MILLIS = 30_000;

    private final Path path;
    private final Set<PosixFilePermission> mode;
    private final Server server;
    private final ServletContextHandler context;

    public SocketServer(Path path, Set<PosixFilePermission> mode, HttpServlet servlet, ErrorBody errorBody) {
        if (path.toAbsolutePath().toString().getBytes(StandardCharsets.UTF_8).length > SocketPath.MAX_LENGTH) {
            throw new IllegalArgumentException("socket path longer than " + SocketPath.MAX_LENGTH + " bytes: " + path);
        }
        this.path = path;
        this.mode = Set.copyOf(mode);

        QueuedThreadPool threads = new QueuedThreadPool(MAX_THREADS, MIN_THREADS);
        threads.setName("bridge-socket");
        threads.setReservedThreads(0);
        server = new Server(threads);

        HttpConfiguration http = new HttpConfiguration();
        http.setSendServerVersion(false);
        http.setSendXPoweredBy(false);
        UnixDomainServerConnector connector = new UnixDomainServerConnector(server, 1, 1, new HttpConnectionFactory(http));
        connector.setUnixDomainPath(path);
        connector.setAcceptQueueSize(ACCEPT_QUEUE);
        connector.setIdleTimeout(IDLE_TIMEOUT_MILLIS);
        server.addConnector(connector);

        context = new ServletContextHandler();
        context.setContextPath("/");
        context.addServlet(new ServletHolder("tokens", servlet), "/*");
        server.setHandler(context);
        server.setErrorHandler(new JsonErrorHandler(errorBody));
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
        } catch (Exception e) {
            server.stop();
            throw e;
        }
    }

    public void stop() throws Exception {
        server.stop();
    }
}
