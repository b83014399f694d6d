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
 * JSON shape instead of an HTML page; only the standard reason phrase, never the cause or the input. The metrics
 * server answers its errors the same way.
 */
public final class JsonErrorHandler extends ErrorHandler {

    private final ErrorBody errorBody;

    public JsonErrorHandler(ErrorBody errorBody) {
        this.errorBody = errorBody;
    }

    @Override
    protected void generateResponse(Request request, Response response, int code, String message, Throwable cause,
                                    Callback callback) {
        String reason = HttpStatus.getMessage(code);
        byte[] body = errorBody.render(reason.toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9]+", "_"), reason);
        response.getHeaders().put(HttpHeader.CONTENT_TYPE, ErrorBody.CONTENT_TYPE);
        response.write(true, ByteBuffer.wrap(body), callback);
    }
}
