package dev.machineoidc.bridge.socket;

import dev.machineoidc.bridge.api.ErrorBody;
import java.nio.ByteBuffer;
import java.util.Locale;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.http.HttpStatus;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.server.handler.ErrorHandler;
import org.eclipse.jetty.util.Callback;

/**
 * Errors Jetty raises before the servlet runs (unparsable request, headers too large…) in the API's
 * JSON shape instead of an HTML page, whatever the request's method; only the standard reason phrase, never the
 * cause or the input. The metrics server answers its errors the same way.
 */
public final class JsonErrorHandler extends ErrorHandler {

    private final ErrorBody errorBody;

    public JsonErrorHandler(ErrorBody errorBody) {
        this.errorBody = errorBody;
    }

    /** Jetty writes no body for methods other than GET, POST and HEAD; every answer here has one. */
    @Override
    public boolean errorPageForMethod(String method) {
        return true;
    }

    @Override
    protected void generateResponse(Request request, Response response, int code, String message, Throwable cause,
                                    Callback callback) {
        byte[] body;
        if (code == HttpStatus.HTTP_VERSION_NOT_SUPPORTED_505) {
            // A request line naming another protocol version is malformed input to this API, and bad input is a 4xx
            // here: a 5xx would say the bridge failed.
            response.setStatus(HttpStatus.BAD_REQUEST_400);
            body = errorBody.render("unsupported_http_version", "only HTTP/1.0 and HTTP/1.1 are spoken here");
        } else {
            String reason = HttpStatus.getMessage(code);
            body = errorBody.render(reason.toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9]+", "_"), reason);
        }
        response.getHeaders().put(HttpHeader.CONTENT_TYPE, ErrorBody.CONTENT_TYPE);
        response.write(true, ByteBuffer.wrap(body), callback);
    }
}
