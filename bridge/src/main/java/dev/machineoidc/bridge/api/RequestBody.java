package dev.machineoidc.bridge.api;

import jakarta.servlet.http.HttpServletRequest;
import java.io.IOException;
import java.io.InputStream;

/**
 * Reads a request body of at most {@value #LIMIT} bytes, never buffering more than one byte beyond. The socket
 * layer has read the body before the servlet runs (and drained an oversized one), so this never waits.
 */
public final class RequestBody {

    public static final int LIMIT = 16 * 1024;

    private RequestBody() {
    }

    static byte[] read(HttpServletRequest request) throws ApiError {
        if (request.getContentLengthLong() > LIMIT) {
            throw ApiError.tooLarge();
        }
        // Without a declared length (chunked), one byte past the limit tells "exactly 16 KiB" from "more".
        byte[] body;
        try (InputStream in = request.getInputStream()) {
            body = in.readNBytes(LIMIT + 1);
        } catch (IOException e) {
            throw ApiError.badRequest("the request body could not be read");
        }
        if (body.length > LIMIT) {
            throw ApiError.tooLarge();
        }
        return body;
    }
}
