package dev.machineoidc.bridge.socket;

import java.io.ByteArrayOutputStream;
import java.util.concurrent.atomic.AtomicBoolean;
import org.eclipse.jetty.io.Connection;
import org.eclipse.jetty.io.Content;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;
import org.eclipse.jetty.util.thread.Invocable;

/**
 * Reads one request's body as its bytes arrive, on whatever thread Jetty signals them (no thread waits for a
 * slow client), then hands the request with the body in memory to the next handler on a pool thread. Keeps the
 * first {@code keepBytes} and reads on, dropping the rest, up to {@code readBytes} in all, so that a client still
 * sending an oversized body can read its 413. Ends once: dispatched, or answered 408 by {@link #expire()} (the
 * deadline passed) or 503 by {@link #refuse()} (the server stops), whichever comes first.
 */
final class BodyReader implements Invocable.Task {

    private final Request request;
    private final Response response;
    private final Callback callback;
    private final Handler next;
    private final ReadDeadlines deadlines;
    private final JsonAnswers answers;
    private final int keepBytes;
    private final long readBytes;
    private final AtomicBoolean ended = new AtomicBoolean();
    private final ByteArrayOutputStream kept = new ByteArrayOutputStream(256);
    private long read;

    BodyReader(Request request, Response response, Callback callback, Handler next, ReadDeadlines deadlines,
               JsonAnswers answers, int keepBytes, long readBytes) {
        this.request = request;
        this.response = response;
        this.callback = callback;
        this.next = next;
        this.deadlines = deadlines;
        this.answers = answers;
        this.keepBytes = keepBytes;
        this.readBytes = readBytes;
    }

    /** On the thread Jetty handles the request with: what is already there is read now. */
    void start() {
        deadlines.reading(connection(), this);
        read(false);
    }

    /** More of the body arrived (Jetty's demand callback). */
    @Override
    public void run() {
        read(true);
    }

    /** Reading never blocks, so Jetty may call back on its selector thread instead of waking a pool thread. */
    @Override
    public InvocationType getInvocationType() {
        return InvocationType.NON_BLOCKING;
    }

    /** The read deadline passed: 408, and the connection closes. */
    void expire() {
        if (ended.compareAndSet(false, true)) {
            answers.requestTimeout(response, callback);
        }
    }

    /** The server stops before the body is in: 503, and the connection closes. */
    void refuse() {
        if (ended.compareAndSet(false, true)) {
            answers.shuttingDown(response, callback);
        }
    }

    private void read(boolean calledBack) {
        while (!ended.get()) {
            Content.Chunk chunk = request.read();
            if (chunk == null) {
                request.demand(this);
                return;
            }
            if (Content.Chunk.isFailure(chunk)) {
                // A broken body (bad chunking, early EOF…) is the servlet's 400 to answer, like any unreadable body.
                dispatch(calledBack, chunk.getFailure());
                return;
            }
            keep(chunk);
            boolean last = chunk.isLast();
            chunk.release();
            if (last || read >= readBytes) {
                dispatch(calledBack, null);
                return;
            }
        }
    }

    private void keep(Content.Chunk chunk) {
        int length = chunk.remaining();
        int room = (int) Math.max(0, Math.min(length, keepBytes - kept.size()));
        if (room > 0) {
            byte[] bytes = new byte[room];
            chunk.getByteBuffer().get(bytes);
            kept.write(bytes, 0, room);
        }
        read += length;
    }

    private void dispatch(boolean calledBack, Throwable failure) {
        if (!ended.compareAndSet(false, true)) {
            return;
        }
        deadlines.answering(connection());
        if (deadlines.draining()) {
            answers.shuttingDown(response, callback);
            return;
        }
        Request buffered = new BufferedBodyRequest(request, kept.toByteArray(), failure);
        if (calledBack) {
            // Possibly Jetty's selector thread: the servlet blocks (it mints), so it runs on a pool thread.
            request.getContext().execute(() -> handle(buffered));
        } else {
            handle(buffered);
        }
    }

    private void handle(Request buffered) {
        try {
            if (!next.handle(buffered, response, callback)) {
                Response.writeError(buffered, response, callback, 404);
            }
        } catch (Throwable e) {
            Response.writeError(buffered, response, callback, e);
        }
    }

    private Connection connection() {
        return request.getConnectionMetaData().getConnection();
    }
}
