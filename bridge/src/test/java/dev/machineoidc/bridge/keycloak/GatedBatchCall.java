package dev.machineoidc.bridge.keycloak;

import dev.machineoidc.bridge.mint.MintException;
import dev.machineoidc.bridge.mint.MintException.Kind;
import dev.machineoidc.bridge.mint.TokenRequest;
import java.util.List;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Semaphore;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A Keycloak whose batch calls each wait until the test lets one answer. Each request's token is
 * {@link #tokenFor} its audience; an audience starting with {@code refused} gets an item refusal instead.
 */
final class GatedBatchCall implements BatchCall {

    private final Semaphore answers = new Semaphore(0);
    private final List<List<TokenRequest>> batches = new CopyOnWriteArrayList<>();
    private final Queue<Exception> failures = new ConcurrentLinkedQueue<>();
    private final AtomicInteger inFlight = new AtomicInteger();
    private final AtomicInteger mostInFlight = new AtomicInteger();

    static String tokenFor(String audience) {
        return "token-for-" + audience;
    }

    @Override
    public List<MintOutcome> mint(List<TokenRequest> requests, AnswerDeadline deadline) throws MintException {
        Exception failure = failures.poll();
        batches.add(requests);
        mostInFlight.accumulateAndGet(inFlight.incrementAndGet(), Math::max);
        try {
            answers.acquireUninterruptibly();
        } finally {
            inFlight.decrementAndGet();
        }
        if (failure instanceof MintException e) {
            throw e;
        }
        if (failure instanceof RuntimeException e) {
            throw e;
        }
        return requests.stream().map(GatedBatchCall::outcome).toList();
    }

    private static MintOutcome outcome(TokenRequest request) {
        String audience = request.audience().orElseThrow();
        return audience.startsWith("refused")
                ? MintOutcome.failed(new MintException(Kind.DENIED, "audience_not_allowed", audience + " is not allowed"))
                : MintOutcome.minted(tokenFor(audience));
    }

    /** Lets this many calls answer, those waiting first, then the next ones as they come. */
    void answer(int calls) {
        answers.release(calls);
    }

    /** Every call from now on answers at once. */
    void answerAll() {
        answers.release(1_000_000);
    }

    /** The next call to start fails as a whole with this exception. */
    void failNext(Exception failure) {
        failures.add(failure);
    }

    List<List<TokenRequest>> batches() {
        return batches;
    }

    List<Integer> batchSizes() {
        return batches.stream().map(List::size).toList();
    }

    int mostInFlight() {
        return mostInFlight.get();
    }
}
