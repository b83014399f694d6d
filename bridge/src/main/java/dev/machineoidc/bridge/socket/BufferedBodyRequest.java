package dev.machineoidc.bridge.socket;

import java.nio.ByteBuffer;
import org.eclipse.jetty.io.Content;
import org.eclipse.jetty.server.Request;

/**
 * A request whose body {@link BodyReader} has already read: the kept bytes, then the end (or the failure that
 * ended the reading). Reads never wait, so the servlet's blocking reads return at once.
 */
final class BufferedBodyRequest extends Request.Wrapper {

    private final byte[] body;
    private final Throwable failure;
    private boolean bodyRead;

    BufferedBodyRequest(Request wrapped, byte[] body, Throwable failure) {
        super(wrapped);
        this.body = body;
        this.failure = failure;
    }

    @Override
    public synchronized Content.Chunk read() {
        if (!bodyRead && body.length > 0) {
            bodyRead = true;
            return Content.Chunk.from(ByteBuffer.wrap(body), false);
        }
        return failure != null ? Content.Chunk.from(failure, true) : Content.Chunk.EOF;
    }

    /** Content is always there to read. */
    @Override
    public void demand(Runnable demandCallback) {
        getContext().execute(demandCallback);
    }
}
