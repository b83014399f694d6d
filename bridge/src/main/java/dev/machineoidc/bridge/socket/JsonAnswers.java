package dev.machineoidc.bridge.socket;

import dev.machineoidc.bridge.api.ApiError;
import dev.machineoidc.bridge.api.ErrorBody;
import dev.machineoidc.bridge.api.TokenServlet;
import java.nio.ByteBuffer;
import java.time.Duration;
import org.eclipse.jetty.http.HttpFields;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.http.HttpHeaderValue;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;

/**
 * The answers the socket layer gives itself, before any servlet runs, in the API's error shape. Each closes
 * the connection: what is left of the request is never read.
 */
final class JsonAnswers {

    private final ErrorBody errorBody;
    private final ApiError requestTimeout;

    JsonAnswers(ErrorBody errorBody, Duration readDeadline) {
        this.errorBody = errorBody;
        this.requestTimeout = ApiError.requestTimeout(readDeadline);
    }

    void requestTimeout(Response response, Callback callback) {
        send(response, callback, requestTimeout);
    }

    void shuttingDown(Response response, Callback callback) {
        response.getHeaders().put(HttpHeader.RETRY_AFTER, TokenServlet.RETRY_AFTER_SECONDS);
        send(response, callback, ApiError.shuttingDown());
    }

    private void send(Response response, Callback callback, ApiError error) {
        byte[] body = errorBody.render(error.code(), error.getMessage());
        response.setStatus(error.status());
        HttpFields.Mutable headers = response.getHeaders();
        headers.put(HttpHeader.CONTENT_TYPE, ErrorBody.CONTENT_TYPE);
        headers.put(HttpHeader.CACHE_CONTROL, "no-store");
        headers.put(HttpHeader.CONNECTION, HttpHeaderValue.CLOSE.asString());
        headers.put(HttpHeader.CONTENT_LENGTH, body.length);
        response.write(true, ByteBuffer.wrap(body), callback);
    }
}
