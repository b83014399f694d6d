package dev.machineoidc.bridge.metrics;

import dev.machineoidc.bridge.api.ErrorBody;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.function.Supplier;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.http.HttpMethod;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;

/** {@code GET /metrics}; any other path or method is a JSON error, as on the socket. */
final class MetricsHandler extends Handler.Abstract.NonBlocking {

    static final String PATH = "/metrics";

    private final Supplier<String> exposition;
    private final ErrorBody errorBody;

    MetricsHandler(Supplier<String> exposition, ErrorBody errorBody) {
        this.exposition = exposition;
        this.errorBody = errorBody;
    }

    @Override
    public boolean handle(Request request, Response response, Callback callback) {
        if (!PATH.equals(Request.getPathInContext(request))) {
            return answer(response, callback, 404, ErrorBody.CONTENT_TYPE,
                    errorBody.render("not_found", "no such endpoint; use GET " + PATH));
        }
        if (!HttpMethod.GET.is(request.getMethod())) {
            response.getHeaders().put(HttpHeader.ALLOW, "GET");
            return answer(response, callback, 405, ErrorBody.CONTENT_TYPE,
                    errorBody.render("method_not_allowed", "use GET"));
        }
        return answer(response, callback, 200, Exposition.CONTENT_TYPE,
                exposition.get().getBytes(StandardCharsets.UTF_8));
    }

    private static boolean answer(Response response, Callback callback, int status, String contentType, byte[] body) {
        response.setStatus(status);
        response.getHeaders().put(HttpHeader.CONTENT_TYPE, contentType);
        response.getHeaders().put(HttpHeader.CONTENT_LENGTH, body.length);
        response.write(true, ByteBuffer.wrap(body), callback);
        return true;
    }
}
