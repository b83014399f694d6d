package dev.machineoidc.bench.setup;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.URI;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.io.Content;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.util.Callback;
import org.eclipse.jetty.util.thread.QueuedThreadPool;

/**
 * Keycloak's two endpoints the bridge calls, answered at once on 127.0.0.1: enrollment, and the batch mint with one
 * fixed JWT-shaped token per requested item. For parts that measure the bridge's own socket layer, where a real
 * Keycloak would only add its own noise; nothing is verified and the tokens are not signed. Jetty, as the bridge's
 * client is: the JDK's small HTTP server leaves Nagle's algorithm on and adds 40 ms to answers written in two parts.
 */
public final class StubKeycloak implements AutoCloseable {

    /** Shaped like a compact JWS, so the load generator's token check passes. */
    static final String TOKEN = "eyJhbGciOiJSUzI1NiJ9.eyJzdWIiOiJzdHViIn0.c3R1Yg";

    private final ObjectMapper json = new ObjectMapper();
    private final Server server;
    private final ServerConnector connector;

    private StubKeycloak(String org) throws Exception {
        QueuedThreadPool threads = new QueuedThreadPool(8, 2);
        threads.setName("stub-keycloak");
        server = new Server(threads);
        connector = new ServerConnector(server, 1, 1);
        connector.setHost("127.0.0.1");
        server.addConnector(connector);
        String realm = "/realms/" + org + "/machine-oidc/";
        server.setHandler(new Handler.Abstract() {
            @Override
            public boolean handle(Request request, Response response, Callback callback) throws Exception {
                String path = Request.getPathInContext(request);
                if (path.equals(realm + "enroll")) {
                    answer(response, callback, "{\"client_id\":\"machine:stub@stub\"}");
                } else if (path.equals(realm + "tokens")) {
                    answer(response, callback, mint(Content.Source.asString(request, StandardCharsets.UTF_8)));
                } else {
                    Response.writeError(request, response, callback, 404);
                }
                return true;
            }
        });
        server.start();
    }

    public static StubKeycloak start(String org) throws Exception {
        return new StubKeycloak(org);
    }

    public URI baseUrl() {
        return URI.create("http://127.0.0.1:" + connector.getLocalPort());
    }

    private String mint(String body) throws Exception {
        JsonNode requests = json.readTree(body).path("requests");
        StringBuilder results = new StringBuilder("{\"results\":[");
        for (int i = 0; i < requests.size(); i++) {
            results.append(i == 0 ? "" : ",").append("{\"token\":\"").append(TOKEN).append("\"}");
        }
        return results.append("]}").toString();
    }

    private static void answer(Response response, Callback callback, String body) {
        response.getHeaders().put(HttpHeader.CONTENT_TYPE, "application/json");
        response.write(true, ByteBuffer.wrap(body.getBytes(StandardCharsets.UTF_8)), callback);
    }

    @Override
    public void close() throws Exception {
        server.stop();
    }
}
