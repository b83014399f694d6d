package dev.machineoidc.bridge.keycloak;

import dev.machineoidc.bridge.metrics.KeycloakLatency;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.eclipse.jetty.client.ContentResponse;
import org.eclipse.jetty.client.HttpClient;
import org.eclipse.jetty.client.StringRequestContent;
import org.eclipse.jetty.client.transport.HttpClientTransportOverHTTP;
import org.eclipse.jetty.io.ClientConnector;
import org.eclipse.jetty.util.ssl.SslContextFactory;
import org.eclipse.jetty.http.HttpField;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.http.HttpMethod;
import org.eclipse.jetty.util.thread.QueuedThreadPool;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * POSTs to Keycloak over one pooled keep-alive HTTP client. With several base URLs it sticks to the
 * last one that answered and moves on when a node cannot be reached, all within the caller's deadline.
 */
public final class KeycloakTransport implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(KeycloakTransport.class);

    private final HttpClient http;
    private final List<URI> configuredUrls;
    private final List<URI> baseUrls;
    private final KeycloakLatency latency;
    private final AtomicInteger preferred = new AtomicInteger();
    private final AtomicBoolean reachable = new AtomicBoolean(true);

    private KeycloakTransport(HttpClient http, List<URI> baseUrls, KeycloakLatency latency) {
        this.http = http;
        this.configuredUrls = List.copyOf(baseUrls);
        this.baseUrls = baseUrls.stream().map(KeycloakTransport::withTrailingSlash).toList();
        this.latency = latency;
    }

    /** Starts the HTTP client, timing no call; {@link #close()} stops it. */
    public static KeycloakTransport start(List<URI> baseUrls, Duration connectTimeout) throws Exception {
        return start(baseUrls, connectTimeout, new KeycloakLatency());
    }

    /** Starts the HTTP client; {@link #close()} stops it. Every call to a node is timed into {@code latency}. */
    public static KeycloakTransport start(List<URI> baseUrls, Duration connectTimeout, KeycloakLatency latency)
            throws Exception {
        if (baseUrls.isEmpty()) {
            throw new IllegalArgumentException("at least one Keycloak URL is needed");
        }
        QueuedThreadPool threads = new QueuedThreadPool(16, 1);
        threads.setName("keycloak-client");
        threads.setReservedThreads(0);
        ClientConnector connector = new ClientConnector();
        if (baseUrls.stream().noneMatch(url -> "https".equals(url.getScheme()))) {
            connector.setSslContextFactory(new NoTls());
        }
        HttpClient http = new HttpClient(new HttpClientTransportOverHTTP(connector));
        http.setExecutor(threads);
        http.setConnectTimeout(connectTimeout.toMillis());
        http.setFollowRedirects(false);
        http.setUserAgentField(new HttpField(HttpHeader.USER_AGENT, "machine-oidc-bridge"));
        http.start();
        // Raw answers only: Jetty's handlers would turn a 401 without WWW-Authenticate into an exception.
        http.getProtocolHandlers().clear();
        return new KeycloakTransport(http, baseUrls, latency);
    }

    /** @return the URL in use, as configured: the last one that answered (the first, before any call) */
    public URI currentUrl() {
        return configuredUrls.get(preferred.get());
    }

    /**
     * @param path relative to a base URL, e.g. {@code realms/acme/machine-oidc/tokens}
     * @param bearer an access token for the Authorization header, or null
     * @throws KeycloakUnavailableException when no node answered before the deadline; 502-504 count as
     *     no answer, as they come from a proxy in front of a missing node
     */
    KeycloakResponse post(String path, String contentType, String body, String bearer, AnswerDeadline deadline)
            throws KeycloakUnavailableException {
        int first = preferred.get();
        String lastFailure = "no time left";
        for (int attempt = 0; attempt < baseUrls.size(); attempt++) {
            Duration remaining = deadline.remaining();
            if (remaining.isZero()) {
                break;
            }
            int index = (first + attempt) % baseUrls.size();
            URI base = baseUrls.get(index);
            long started = System.nanoTime();
            try {
                ContentResponse response = http.newRequest(base.resolve(path))
                        .method(HttpMethod.POST)
                        .timeout(Math.max(1, remaining.toMillis()), TimeUnit.MILLISECONDS)
                        .headers(headers -> {
                            if (bearer != null) {
                                headers.put(HttpHeader.AUTHORIZATION, "Bearer " + bearer);
                            }
                        })
                        .body(new StringRequestContent(contentType, body))
                        .send();
                int status = response.getStatus();
                latency.record(KeycloakLatency.Result.forStatus(status), System.nanoTime() - started);
                if (status == 502 || status == 503 || status == 504) {
                    lastFailure = base + " answered HTTP " + status;
                    continue;
                }
                preferred.set(index);
                if (reachable.compareAndSet(false, true)) {
                    LOG.info("Keycloak reachable again at {}", base);
                }
                return new KeycloakResponse(status, response.getContentAsString());
            } catch (TimeoutException e) {
                latency.record(KeycloakLatency.Result.TIMEOUT, System.nanoTime() - started);
                lastFailure = base + " did not answer in time";
            } catch (ExecutionException e) {
                latency.record(KeycloakLatency.Result.CONNECTION_FAILED, System.nanoTime() - started);
                lastFailure = base + ": " + describe(e.getCause());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                lastFailure = "interrupted";
                break;
            }
        }
        if (reachable.compareAndSet(true, false)) {
            LOG.warn("Keycloak unreachable: {}", lastFailure);
        }
        throw new KeycloakUnavailableException("Keycloak is unreachable");
    }

    @Override
    public void close() throws Exception {
        http.stop();
    }

    /**
     * Stands in for TLS when every URL is plain http: Jetty would otherwise load the JDK trust store
     * and TLS stack at start, some 7 MiB of a sidecar's resident memory, for nothing.
     */
    private static final class NoTls extends SslContextFactory.Client {

        @Override
        protected void doStart() {
            // Never used: no https destination exists.
        }
    }

    private static String describe(Throwable cause) {
        return cause == null ? "failed" : cause.getClass().getSimpleName() + " " + cause.getMessage();
    }

    private static URI withTrailingSlash(URI uri) {
        return uri.getPath().endsWith("/") ? uri : URI.create(uri + "/");
    }
}
