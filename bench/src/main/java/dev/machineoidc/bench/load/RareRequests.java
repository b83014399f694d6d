package dev.machineoidc.bench.load;

import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.eclipse.jetty.client.ContentResponse;
import org.eclipse.jetty.client.Request;

/**
 * One request at a time, each after the target has had nothing to do for a while: the latency a workload sees when
 * it asks for a token now and then, with nothing warm in flight and nothing to batch with.
 */
public final class RareRequests {

    private static final Duration ANSWER_TIMEOUT = Duration.ofSeconds(5);

    /** @param firstError what went wrong with the first failed request, empty when none failed */
    public record Result(Latencies latencies, long errors, String firstError) {
    }

    private RareRequests() {
    }

    public static Result run(Target target, int requests, Duration idleBefore) throws InterruptedException {
        Latencies latencies = new Latencies();
        long errors = 0;
        String firstError = "";
        for (int i = 0; i < requests; i++) {
            TimeUnit.NANOSECONDS.sleep(idleBefore.toNanos());
            Request request = target.newRequest().timeout(ANSWER_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
            long sent = System.nanoTime();
            Optional<String> failure;
            try {
                ContentResponse answer = request.send();
                long took = System.nanoTime() - sent;
                failure = answer.getStatus() == 200 && target.isToken(answer.getContentAsString())
                        ? Optional.empty() : Optional.of("HTTP " + answer.getStatus());
                if (failure.isEmpty()) {
                    latencies.add(took);
                }
            } catch (ExecutionException | TimeoutException e) {
                failure = Optional.of(String.valueOf(e.getCause() == null ? e : e.getCause()));
            }
            if (failure.isPresent()) {
                errors++;
                firstError = firstError.isEmpty() ? failure.get() : firstError;
            }
        }
        return new Result(latencies, errors, firstError);
    }
}
