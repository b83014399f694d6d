package dev.machineoidc.bridge.api;

import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;

/** Writes an {@link ApiError} as the answer of one endpoint, with the headers its status calls for. */
final class ErrorWriter {

    private final ErrorBody errorBody;
    private final String allowedMethod;

    /** @param allowedMethod the endpoint's one method, named in the {@code Allow} header of a 405 */
    ErrorWriter(ErrorBody errorBody, String allowedMethod) {
        this.errorBody = errorBody;
        this.allowedMethod = allowedMethod;
    }

    void write(HttpServletResponse response, ApiError error) throws IOException {
        if (response.isCommitted()) {
            return;
        }
        response.reset();
        response.setStatus(error.status());
        switch (error.status()) {
            case 405 -> response.setHeader("Allow", allowedMethod);
            case 413 -> response.setHeader("Connection", "close");
            case 429 -> response.setHeader("Retry-After", Long.toString(error.retryAfterSeconds()));
            case 503 -> response.setHeader("Retry-After", TokenServlet.RETRY_AFTER_SECONDS);
            default -> {
            }
        }
        byte[] body = errorBody.render(error.code(), error.getMessage());
        response.setContentType(ErrorBody.CONTENT_TYPE);
        response.setHeader("Cache-Control", "no-store");
        response.setContentLength(body.length);
        response.getOutputStream().write(body);
    }
}
