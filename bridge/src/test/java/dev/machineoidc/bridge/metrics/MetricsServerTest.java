package dev.machineoidc.bridge.metrics;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.greaterThan;
import static org.hamcrest.Matchers.is;

import dev.machineoidc.bridge.api.ErrorBody;
import dev.machineoidc.bridge.testing.UnixHttpClient;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.concurrent.atomic.AtomicInteger;
import org.eclipse.jetty.client.ContentResponse;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

@Timeout(30)
class MetricsServerTest {

    @TempDir
    Path dir;

    private final AtomicInteger scrapes = new AtomicInteger();
    private final HttpClient http = HttpClient.newHttpClient();
    private MetricsServer server;

    private MetricsServer start(MetricsAddress address) throws Exception {
        server = new MetricsServer(address, () -> "scrape_number " + scrapes.incrementAndGet() + "\n", new ErrorBody());
        server.start();
        return server;
    }

    @AfterEach
    void stop() throws Exception {
        if (server != null) {
            server.stop();
        }
    }

    private HttpResponse<String> send(String method, String path) throws Exception {
        URI uri = URI.create("http://127.0.0.1:" + server.port() + path);
        return http.send(HttpRequest.newBuilder(uri).method(method, HttpRequest.BodyPublishers.noBody()).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void servesTheExpositionOnALoopbackPortRenderedAtEachScrape() throws Exception {
        start(new MetricsAddress.Tcp(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0)));
        assertThat(server.port(), greaterThan(0));

        HttpResponse<String> first = send("GET", "/metrics");
        HttpResponse<String> second = send("GET", "/metrics");

        assertThat(first.statusCode(), equalTo(200));
        assertThat(first.headers().firstValue("Content-Type").orElseThrow(),
                equalTo("text/plain; version=0.0.4; charset=utf-8"));
        assertThat(first.body(), equalTo("scrape_number 1\n"));
        assertThat(second.body(), equalTo("scrape_number 2\n"));
    }

    @Test
    void otherPathsAndMethodsAreJsonErrors() throws Exception {
        start(new MetricsAddress.Tcp(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0)));

        HttpResponse<String> elsewhere = send("GET", "/metrics/x");
        HttpResponse<String> post = send("POST", "/metrics");

        assertThat(elsewhere.statusCode(), equalTo(404));
        assertThat(elsewhere.body(), containsString("\"error\":\"not_found\""));
        assertThat(post.statusCode(), equalTo(405));
        assertThat(post.headers().firstValue("Allow").orElseThrow(), equalTo("GET"));
        assertThat(post.body(), containsString("\"error\":\"method_not_allowed\""));
        assertThat("nothing was rendered for them", scrapes.get(), equalTo(0));
    }

    @Test
    void servesOnAUnixSocketAndRemovesItOnStop() throws Exception {
        Path socket = dir.resolve("run/metrics");
        start(new MetricsAddress.Unix(socket));

        ContentResponse response;
        try (UnixHttpClient client = new UnixHttpClient(socket)) {
            response = client.send("GET", "/metrics", null);
        }

        assertThat(response.getStatus(), equalTo(200));
        assertThat(response.getContentAsString(), equalTo("scrape_number 1\n"));
        assertThat(server.port(), equalTo(-1));
        server.stop();
        server = null;
        assertThat(Files.exists(socket, LinkOption.NOFOLLOW_LINKS), is(false));
    }
}
