package dev.machineoidc.bench.source;

import org.eclipse.jetty.client.HttpClient;
import org.eclipse.jetty.client.transport.HttpClientTransportOverHTTP;
import org.eclipse.jetty.io.ClientConnector;
import org.eclipse.jetty.util.thread.QueuedThreadPool;

/**
 * The load generator's HTTP/1.1 keep-alive client, for TCP and (per request, {@code Transport.TCPUnix}) unix
 * sockets alike: one connection per concurrent caller and destination, reused throughout.
 */
public final class LoadClient {

    /** Above the highest concurrency measured, so no caller ever waits for a connection. */
    private static final int MAX_CONNECTIONS = 256;

    private LoadClient() {
    }

    public static HttpClient start() throws Exception {
        QueuedThreadPool threads = new QueuedThreadPool(64, 4);
        threads.setName("load");
        HttpClient http = new HttpClient(new HttpClientTransportOverHTTP(new ClientConnector()));
        http.setExecutor(threads);
        http.setMaxConnectionsPerDestination(MAX_CONNECTIONS);
        http.setMaxRequestsQueuedPerDestination(4 * MAX_CONNECTIONS);
        http.setFollowRedirects(false);
        http.start();
        // Raw answers: a 401 must count as an error, not turn into an authentication retry.
        http.getProtocolHandlers().clear();
        return http;
    }
}
