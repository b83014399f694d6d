package dev.machineoidc.bridge.api;

import jakarta.servlet.http.HttpServletRequest;
import java.io.IOException;
import java.io.InputStream;

/** Reads a request body of at most {@value #LIMIT} bytes, never buffering more than one byte beyond. */
final class RequestBody {

    static final int LIMIT = 16 * 1024;

    private RequestBody() {
    }

    static byte[] read(HttpServletRequest request) throws ApiError {
        long declared = request.getContentLengthLong();
        if (declared > LIMIT) {
            throw ApiError.tooLarge();
        }
        // Without a declared length (chunked), one byte past the limit tells "exactly 16 KiB" from "more".
        int wanted = declared >= 0 ? (int) declared : LIMIT + 1;
        byte[] body;
        try (InputStream in = request.getInputStream()) {
            body = in.readNBytes(wanted);
        } catch (IOException e) {
            throw ApiError.badRequest("the request body could not be read");
        }
        if (body.length > LIMIT) {
            throw ApiError.tooLarge();
        }
        return body;
    }
}
