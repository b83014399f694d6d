package dev.machineoidc.bench.source;

import dev.machineoidc.bench.load.Target;
import java.nio.file.Path;
import java.util.regex.Pattern;
import org.eclipse.jetty.client.HttpClient;
import org.eclipse.jetty.client.Request;
import org.eclipse.jetty.client.StringRequestContent;
import org.eclipse.jetty.http.HttpMethod;
import org.eclipse.jetty.io.Transport;

/** Ours: the contract's {@code POST /v1/tokens/oidc} on the bridge's unix socket, as a workload sends it. */
public final class SocketMint implements Target {

    static final Pattern JWT = Pattern.compile("[A-Za-z0-9_-]+\\.[A-Za-z0-9_-]+\\.[A-Za-z0-9_-]+");
    private static final String BODY = "{\"aud\":\"sts.amazonaws.com\"}";

    private final HttpClient http;
    private final Transport socket;

    public SocketMint(HttpClient http, Path socket) {
        this.http = http;
        this.socket = new Transport.TCPUnix(socket);
    }

    @Override
    public Request newRequest() {
        return request(http, socket, BODY);
    }

    /** A token request on a bridge's socket with this JSON body. */
    public static Request request(HttpClient http, Transport socket, String body) {
        return http.newRequest("http://localhost/v1/tokens/oidc")
                .transport(socket)
                .method(HttpMethod.POST)
                .body(new StringRequestContent("application/json", body));
    }

    @Override
    public boolean isToken(String body) {
        return JWT.matcher(body).matches();
    }
}
