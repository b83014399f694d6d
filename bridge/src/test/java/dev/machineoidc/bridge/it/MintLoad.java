package dev.machineoidc.bridge.it;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.machineoidc.bridge.testing.UnixHttpClient;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.locks.LockSupport;
import org.eclipse.jetty.client.ContentResponse;
import org.eclipse.jetty.client.StringRequestContent;
import org.eclipse.jetty.http.HttpHeader;

/**
 * Workloads minting through a bridge's socket while faults happen: each thread sends the contract's token request on a
 * fresh connection every time (as {@code curl --unix-socket} does), at most one per {@code pace}, and every answer is
 * kept with its status, error code and times. The pace is the load's rate, not a wait for anything: it keeps a node
 * that starts while every answer is a quick 503 from losing its two cores to the load.
 */
final class MintLoad implements AutoCloseable {

    private static final String BODY = "{\"aud\":\"sts.amazonaws.com\"}";
    private static final ObjectMapper JSON = new ObjectMapper();

    /**
     * @param status the HTTP status, or 0 when no answer came (the error then names the exception)
     * @param error the body's {@code error} for a non-200 answer, else null
     */
    record Answer(long startNanos, long endNanos, int status, String error) {

        boolean ok() {
            return status == 200;
        }

        Duration took() {
            return Duration.ofNanos(endNanos - startNanos);
        }
    }

    private final UnixHttpClient client;
    private final Duration pace;
    private final ConcurrentLinkedQueue<Answer> answers = new ConcurrentLinkedQueue<>();
    private final List<Thread> threads = new ArrayList<>();
    private volatile boolean running = true;

    private MintLoad(UnixHttpClient client, Duration pace) {
        this.client = client;
        this.pace = pace;
    }

    static MintLoad start(Path socket, int workloads, Duration pace) throws Exception {
        MintLoad load = new MintLoad(new UnixHttpClient(socket), pace);
        for (int i = 0; i < workloads; i++) {
            Thread thread = new Thread(load::run, "mint-load-" + i);
            load.threads.add(thread);
            thread.start();
        }
        return load;
    }

    /** Every answer so far, in no particular order. */
    List<Answer> answers() {
        return List.copyOf(answers);
    }

    private void run() {
        while (running) {
            long start = System.nanoTime();
            answers.add(send(start));
            LockSupport.parkNanos(start + pace.toNanos() - System.nanoTime());
        }
    }

    private Answer send(long start) {
        ContentResponse response;
        try {
            response = client.newRequest("POST", "/v1/tokens/oidc")
                    .headers(headers -> headers.put(HttpHeader.CONNECTION, "close"))
                    .body(new StringRequestContent("application/json", BODY))
                    .send();
        } catch (Exception e) {
            return new Answer(start, System.nanoTime(), 0, e.getClass().getSimpleName());
        }
        long end = System.nanoTime();
        return new Answer(start, end, response.getStatus(), response.getStatus() == 200 ? null : errorCode(response));
    }

    private static String errorCode(ContentResponse response) {
        try {
            return JSON.readTree(response.getContentAsString()).path("error").asText("(no error field)");
        } catch (Exception e) {
            return "(not JSON)";
        }
    }

    @Override
    public void close() throws Exception {
        running = false;
        for (Thread thread : threads) {
            thread.join(Duration.ofSeconds(30).toMillis());
        }
        client.close();
    }
}
