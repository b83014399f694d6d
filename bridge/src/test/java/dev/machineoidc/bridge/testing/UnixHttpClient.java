package dev.machineoidc.bridge.testing;

import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.eclipse.jetty.client.ContentResponse;
import org.eclipse.jetty.client.HttpClient;
import org.eclipse.jetty.client.Request;
import org.eclipse.jetty.client.StringRequestContent;
import org.eclipse.jetty.io.Transport;

/** Jetty's HTTP client speaking to a unix socket, the way a workload's curl --unix-socket would. */
public final class UnixHttpClient implements AutoCloseable {

    private final HttpClient http = new HttpClient();
    private final Path socket;

    public UnixHttpClient(Path socket) throws Exception {
        this.socket = socket;
        http.start();
    }

    public ContentResponse post(String path, String json) throws Exception {
        return send("POST", path, json == null ? null : new StringRequestContent("application/json", json));
    }

    public ContentResponse send(String method, String path, Request.Content body) throws Exception {
        Request request = newRequest(method, path);
        if (body != null) {
            request.body(body);
        }
        return request.send();
    }

    public Request newRequest(String method, String path) {
        return http.newRequest("http://localhost" + path)
                .method(method)
                .transport(new Transport.TCPUnix(socket))
                .timeout(10, TimeUnit.SECONDS);
    }

    @Override
    public void close() throws Exception {
        http.stop();
    }
}
