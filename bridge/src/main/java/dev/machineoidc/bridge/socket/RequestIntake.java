package dev.machineoidc.bridge.socket;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.LongAdder;
import org.eclipse.jetty.io.Connection;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;
import org.eclipse.jetty.util.component.Graceful;

/**
 * Where every request enters, in front of the servlet: its body is read by a {@link BodyReader} before the
 * servlet runs, and the requests in progress are counted, so that a stop ({@link #shutdown()}, from Jetty's
 * graceful stop) can wait for them while new ones are answered 503 {@code shutting_down}.
 */
final class RequestIntake extends Handler.Wrapper implements Graceful {

    private final ReadDeadlines deadlines;
    private final JsonAnswers answers;
    private final int keepBytes;
    private final long readBytes;
    private final LongAdder inProgress = new LongAdder();
    private final Shutdown shutdown = new Shutdown(this) {
        @Override
        public boolean isShutdownDone() {
            return inProgress.sum() == 0;
        }
    };

    /**
     * @param keepBytes how much of a body the servlet gets to see
     * @param readBytes how much of a body is read at most, the part beyond {@code keepBytes} dropped
     */
    RequestIntake(Handler servlet, ReadDeadlines deadlines, JsonAnswers answers, int keepBytes, long readBytes) {
        super(servlet);
        this.deadlines = deadlines;
        this.answers = answers;
        this.keepBytes = keepBytes;
        this.readBytes = readBytes;
    }

    @Override
    public boolean handle(Request request, Response response, Callback callback) {
        Connection connection = request.getConnectionMetaData().getConnection();
        // Counted before the check, so that a stop beginning in between waits for this request.
        inProgress.increment();
        Callback counted = new Completion(callback, connection);
        if (isShutdown()) {
            answers.shuttingDown(response, counted);
        } else {
            new BodyReader(request, response, counted, getHandler(), deadlines, answers, keepBytes, readBytes).start();
        }
        return true;
    }

    @Override
    public CompletableFuture<Void> shutdown() {
        CompletableFuture<Void> done = shutdown.shutdown();
        deadlines.drain();
        shutdown.check();
        return done;
    }

    @Override
    public boolean isShutdown() {
        return shutdown.isShutdown();
    }

    /** Marks the connection idle and the request done before Jetty goes on with the connection. */
    private final class Completion implements Callback {

        private final Callback callback;
        private final Connection connection;

        Completion(Callback callback, Connection connection) {
            this.callback = callback;
            this.connection = connection;
        }

        @Override
        public void succeeded() {
            finish();
            callback.succeeded();
        }

        @Override
        public void failed(Throwable failure) {
            finish();
            callback.failed(failure);
        }

        @Override
        public InvocationType getInvocationType() {
            return callback.getInvocationType();
        }

        private void finish() {
            deadlines.answered(connection);
            inProgress.decrement();
            if (isShutdown()) {
                shutdown.check();
            }
        }
    }
}
