package dev.machineoidc.bridge.api;

import jakarta.servlet.http.HttpServletRequest;
import java.io.IOException;
import java.io.InputStream;

/** Reads a request body of at most {@value #LIMIT} bytes, never buffering more than one byte beyond. */
final class RequestBody {

    static final int LIMIT = 16 * 1024;
    /**
     * How much of an oversized body is read and dropped before the 413: a client still sending would otherwise hit
     * a closed connection (EPIPE) and never see the answer. Larger bodies just get the connection closed.
     */
    static final int DISCARD_LIMIT = 1024 * 1024;

    private RequestBody() {
    }

    static byte[] read(HttpServletRequest request) throws ApiError {
        long declared = request.getContentLengthLong();
        if (declared > LIMIT) {
            throw tooLarge(request);
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
            throw tooLarge(request);
        }
        return body;
    }

    private static ApiError tooLarge(HttpServletRequest request) {
        try {
            InputStream in = request.getInputStream();
            byte[] scratch = new byte[8192];
            long discarded = 0;
            int read = 0;
            while (discarded < DISCARD_LIMIT && read >= 0) {
                read = in.read(scratch);
                discarded += Math.max(read, 0);
            }
        } catch (IOException e) {
            // The client went away: nobody is left to read the answer anyway.
        }
        return ApiError.tooLarge();
    }
}
