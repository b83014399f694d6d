package dev.machineoidc.bridge.metrics;

import dev.machineoidc.bridge.api.ErrorBody;
import dev.machineoidc.bridge.socket.JsonErrorHandler;
import dev.machineoidc.bridge.socket.SocketPath;
import java.net.InetSocketAddress;
import java.util.function.Supplier;
import org.eclipse.jetty.server.AbstractConnector;
import org.eclipse.jetty.server.HttpConfiguration;
import org.eclipse.jetty.server.HttpConnectionFactory;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.unixdomain.server.UnixDomainServerConnector;
import org.eclipse.jetty.util.thread.QueuedThreadPool;

/**
 * Serves {@code GET /metrics} on its own small Jetty server: the classes are the socket API's (already loaded), a
 * selector accepts (no acceptor thread), and a scrape is answered on a pool of at most {@value #MAX_THREADS}
 * threads. A unix socket is created with the process's umask and removed on stop.
 */
public final class MetricsServer {

    private static final int MAX_THREADS = 4;
    private static final long IDLE_TIMEOUT_MILLIS = 30_000;

    private final MetricsAddress address;
    private final Server server;

    /** @param exposition the current metrics in the text format, rendered at each scrape */
    public MetricsServer(MetricsAddress address, Supplier<String> exposition, ErrorBody errorBody) {
        this.address = address;
        QueuedThreadPool threads = new QueuedThreadPool(MAX_THREADS, 1);
        threads.setName("bridge-metrics");
        threads.setReservedThreads(0);
        server = new Server(threads);
        HttpConfiguration http = new HttpConfiguration();
        http.setSendServerVersion(false);
        http.setSendXPoweredBy(false);
        server.addConnector(connector(server, address, new HttpConnectionFactory(http)));
        server.setHandler(new MetricsHandler(exposition, errorBody));
        server.setErrorHandler(new JsonErrorHandler(errorBody));
    }

    private static AbstractConnector connector(Server server, MetricsAddress address, HttpConnectionFactory factory) {
        AbstractConnector connector;
        if (address instanceof MetricsAddress.Unix unix) {
            UnixDomainServerConnector onPath = new UnixDomainServerConnector(server, 0, 1, factory);
            onPath.setUnixDomainPath(unix.path());
            connector = onPath;
        } else {
            InetSocketAddress loopback = ((MetricsAddress.Tcp) address).address();
            ServerConnector onPort = new ServerConnector(server, 0, 1, factory);
            onPort.setHost(loopback.getAddress().getHostAddress());
            onPort.setPort(loopback.getPort());
            connector = onPort;
        }
        connector.setIdleTimeout(IDLE_TIMEOUT_MILLIS);
        return connector;
    }

    public void start() throws Exception {
        if (address instanceof MetricsAddress.Unix unix) {
            SocketPath.claim(unix.path());
        }
        try {
            server.start();
        } catch (Exception e) {
            server.stop();
            throw e;
        }
    }

    /** @return the TCP port listened on (the chosen one when the address said 0); -1 on a unix socket */
    public int port() {
        return server.getConnectors()[0] instanceof ServerConnector tcp ? tcp.getLocalPort() : -1;
    }

    public void stop() throws Exception {
        server.stop();
    }
}
