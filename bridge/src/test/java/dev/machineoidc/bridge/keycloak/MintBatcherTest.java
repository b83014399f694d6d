package dev.machineoidc.bridge.keycloak;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.allOf;
import static org.hamcrest.Matchers.containsInAnyOrder;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.everyItem;
import static org.hamcrest.Matchers.greaterThan;
import static org.hamcrest.Matchers.is;
import static org.hamcrest.Matchers.lessThanOrEqualTo;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.machineoidc.bridge.mint.MintException;
import dev.machineoidc.bridge.mint.MintException.Kind;
import dev.machineoidc.bridge.mint.TokenRequest;
import dev.machineoidc.bridge.testing.Await;
import dev.machineoidc.bridge.testing.SharedRules;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Group commit against a Keycloak that answers only when told: each caller on its own thread, and a
 * caller counts as queued once its thread waits with a timeout (the only timed wait in the batcher).
 */
@Timeout(60)
class MintBatcherTest {

    private static final Duration BUDGET = Duration.ofSeconds(30);
    private static final Duration SOON = Duration.ofSeconds(10);

    private final GatedBatchCall keycloak = new GatedBatchCall();
    private final MintBatcher batcher = new MintBatcher(keycloak);
    private final List<Thread> threads = new ArrayList<>();

    @AfterEach
    void finish() throws InterruptedException {
        keycloak.answerAll();
        for (Thread thread : threads) {
            thread.join();
        }
    }

    @Test
    void batchesAreAsLargeAsTheSharedTableLetsTheEndpointTake() {
        assertThat(MintBatcher.MAX_BATCH, equalTo(SharedRules.batchLimit()));
    }

    @Test
    void aLoneCallerIsSentAtOnceAsABatchOfOne() throws Exception {
        keycloak.answerAll();

        for (String audience : List.of("a", "b", "c")) {
            assertThat(mint(audience), is(GatedBatchCall.tokenFor(audience)));
        }

        assertThat(keycloak.batchSizes(), equalTo(List.of(1, 1, 1)));
    }

    @Test
    void callersArrivingWhileBothCallsAreOutGoTogetherWhenOneReturns() throws Exception {
        Map<String, CompletableFuture<String>> answers = fillBothCalls();
        for (int i = 0; i < 10; i++) {
            answers.put("queued-" + i, queue("queued-" + i, BUDGET));
        }
        assertThat("nothing more is sent while two calls are out", keycloak.batchSizes(), equalTo(List.of(1, 1)));

        keycloak.answer(1);

        awaitBatches(3);
        assertThat(keycloak.batchSizes(), equalTo(List.of(1, 1, 10)));
        answerAllAndAssertEachGotItsOwnToken(answers);
        assertThat(keycloak.mostInFlight(), is(MintBatcher.MAX_IN_FLIGHT));
    }

    @Test
    void moreThanABatchQueuedGoesOldestFirstInSeveralBatchesNeverMoreThanTwoAtOnce() throws Exception {
        Map<String, CompletableFuture<String>> answers = fillBothCalls();
        List<String> audiences = IntStream.range(0, 100).mapToObj(i -> "queued-" + i).toList();
        for (String audience : audiences) {
            answers.put(audience, queue(audience, BUDGET));
        }

        keycloak.answer(1);
        awaitBatches(3);
        keycloak.answer(1);
        awaitBatches(4);

        assertThat(keycloak.batchSizes(), equalTo(List.of(1, 1, MintBatcher.MAX_BATCH, 100 - MintBatcher.MAX_BATCH)));
        assertThat(audiences(keycloak.batches().get(2)), equalTo(audiences.subList(0, MintBatcher.MAX_BATCH)));
        assertThat(audiences(keycloak.batches().get(3)), equalTo(audiences.subList(MintBatcher.MAX_BATCH, 100)));
        answerAllAndAssertEachGotItsOwnToken(answers);
        assertThat(keycloak.mostInFlight(), is(MintBatcher.MAX_IN_FLIGHT));
    }

    @Test
    void bothCallsReturningTogetherLetTwoBatchesGoAtOnce() throws Exception {
        Map<String, CompletableFuture<String>> answers = fillBothCalls();
        for (int i = 0; i < 100; i++) {
            answers.put("queued-" + i, mintOnNewThread("queued-" + i, BUDGET));
        }
        Await.until(SOON, () -> threads.stream().skip(2).allMatch(t -> t.getState() == Thread.State.TIMED_WAITING),
                "100 callers queued");

        keycloak.answer(2);

        awaitBatches(4);
        List<Integer> sizes = keycloak.batchSizes();
        assertThat(sizes.subList(0, 2), equalTo(List.of(1, 1)));
        // The two batches are sent from two threads at once, so either may reach Keycloak first.
        assertThat(sizes.subList(2, 4), containsInAnyOrder(MintBatcher.MAX_BATCH, 100 - MintBatcher.MAX_BATCH));
        answerAllAndAssertEachGotItsOwnToken(answers);
    }

    @Test
    void aCallerWhoseDeadlinePassesWhileQueuedIsToldKeycloakIsUnavailableAndNeverSent() throws Exception {
        Map<String, CompletableFuture<String>> busy = fillBothCalls();

        assertUnavailable(mintOnNewThread("impatient", Duration.ofMillis(100)));

        answerAllAndAssertEachGotItsOwnToken(busy);
        assertThat(mint("later"), is(GatedBatchCall.tokenFor("later")));
        assertThat(keycloak.batchSizes(), equalTo(List.of(1, 1, 1)));
    }

    @Test
    void aCallerWhoseBatchOutlastsItsDeadlineIsAnsweredAtItsOwnDeadline() throws Exception {
        fillBothCalls();
        CompletableFuture<String> impatient = queue("impatient", Duration.ofMillis(1500));
        CompletableFuture<String> patient = queue("patient", BUDGET);

        keycloak.answer(1);
        awaitBatches(3);
        assertThat(audiences(keycloak.batches().get(2)), equalTo(List.of("impatient", "patient")));

        assertUnavailable(impatient);
        assertThat("the newest caller sends the batch and waits it out", patient.isDone(), is(false));
        keycloak.answerAll();
        assertThat(patient.get(SOON.toSeconds(), TimeUnit.SECONDS), is(GatedBatchCall.tokenFor("patient")));
    }

    @Test
    void eachCallerGetsItsOwnResultFromASharedBatch() throws Exception {
        fillBothCalls();
        CompletableFuture<String> refused = queue("refused.example", BUDGET);
        CompletableFuture<String> allowed = queue("allowed.example", BUDGET);

        keycloak.answerAll();

        MintException e = failure(refused);
        assertThat(e.kind(), is(Kind.DENIED));
        assertThat(e.code(), is("audience_not_allowed"));
        assertThat(allowed.get(SOON.toSeconds(), TimeUnit.SECONDS), is(GatedBatchCall.tokenFor("allowed.example")));
        assertThat(keycloak.batchSizes(), equalTo(List.of(1, 1, 2)));
    }

    @Test
    void aWholeBatchFailureReachesEveryCallerInIt() throws Exception {
        Map<String, CompletableFuture<String>> busy = fillBothCalls();
        keycloak.failNext(new MintException(Kind.DENIED, "machine_revoked", "revoked"));
        CompletableFuture<String> one = queue("one", BUDGET);
        CompletableFuture<String> two = queue("two", BUDGET);

        answerAllAndAssertEachGotItsOwnToken(busy);

        assertThat(failure(one).code(), is("machine_revoked"));
        assertThat(failure(two).code(), is("machine_revoked"));
    }

    @Test
    void aBugWhileSendingReachesTheCallerAndFreesItsPlace() throws Exception {
        keycloak.answerAll();
        for (int i = 0; i < MintBatcher.MAX_IN_FLIGHT; i++) {
            keycloak.failNext(new IllegalStateException("bug"));
            assertThrows(IllegalStateException.class, () -> mint("buggy"));
        }

        assertThat(mint("fine"), is(GatedBatchCall.tokenFor("fine")));
    }

    @Test
    void manyRacingCallersEachGetTheirOwnAnswerWithinTheLimits() throws Exception {
        keycloak.answerAll();
        int threadsCount = 48;
        int callsEach = 60;
        CountDownLatch start = new CountDownLatch(1);
        List<CompletableFuture<Void>> done = new ArrayList<>();
        for (int t = 0; t < threadsCount; t++) {
            int thread = t;
            done.add(onNewThread(() -> {
                start.await();
                for (int call = 0; call < callsEach; call++) {
                    String audience = "t" + thread + "-" + call;
                    // Some callers have next to no time: they may be answered or give up, never anything else.
                    boolean hurried = call % 7 == 0;
                    try {
                        String token = batcher.mint(TokenRequest.forAudience(audience),
                                AnswerDeadline.after(hurried ? Duration.ofNanos(call * 1000L) : BUDGET));
                        assertThat(token, is(GatedBatchCall.tokenFor(audience)));
                    } catch (MintException e) {
                        assertThat(audience, hurried, is(true));
                        assertThat(e.kind(), is(Kind.UNAVAILABLE));
                    }
                }
                return null;
            }));
        }
        start.countDown();
        for (CompletableFuture<Void> thread : done) {
            thread.get(SOON.toSeconds() * 3, TimeUnit.SECONDS);
        }

        assertThat(keycloak.batchSizes(), everyItem(allOf(greaterThan(0), lessThanOrEqualTo(MintBatcher.MAX_BATCH))));
        assertThat(keycloak.mostInFlight(), lessThanOrEqualTo(MintBatcher.MAX_IN_FLIGHT));
    }

    private String mint(String audience) throws MintException {
        return batcher.mint(TokenRequest.forAudience(audience), AnswerDeadline.after(BUDGET));
    }

    /** Two callers whose calls stay out until the test answers them. */
    private Map<String, CompletableFuture<String>> fillBothCalls() {
        Map<String, CompletableFuture<String>> answers = new LinkedHashMap<>();
        for (String audience : List.of("first", "second")) {
            answers.put(audience, mintOnNewThread(audience, BUDGET));
            awaitBatches(answers.size());
        }
        return answers;
    }

    /** Starts a caller and returns once it waits in the queue, so callers queue in this order. */
    private CompletableFuture<String> queue(String audience, Duration budget) {
        CompletableFuture<String> answer = mintOnNewThread(audience, budget);
        Thread caller = threads.get(threads.size() - 1);
        Await.until(SOON, () -> caller.getState() == Thread.State.TIMED_WAITING, audience + " queued");
        return answer;
    }

    private CompletableFuture<String> mintOnNewThread(String audience, Duration budget) {
        return onNewThread(() -> batcher.mint(TokenRequest.forAudience(audience), AnswerDeadline.after(budget)));
    }

    private <T> CompletableFuture<T> onNewThread(Callable<T> work) {
        CompletableFuture<T> result = new CompletableFuture<>();
        Thread thread = new Thread(() -> {
            try {
                result.complete(work.call());
            } catch (Exception | AssertionError e) {
                result.completeExceptionally(e);
            }
        });
        threads.add(thread);
        thread.start();
        return result;
    }

    private void awaitBatches(int count) {
        Await.until(SOON, () -> keycloak.batches().size() >= count, count + " batches sent");
    }

    private static List<String> audiences(List<TokenRequest> batch) {
        return batch.stream().map(request -> request.audience().orElseThrow()).toList();
    }

    /** @param answers by audience */
    private void answerAllAndAssertEachGotItsOwnToken(Map<String, CompletableFuture<String>> answers) throws Exception {
        keycloak.answerAll();
        for (Map.Entry<String, CompletableFuture<String>> answer : answers.entrySet()) {
            assertThat(answer.getValue().get(SOON.toSeconds(), TimeUnit.SECONDS),
                    is(GatedBatchCall.tokenFor(answer.getKey())));
        }
    }

    private static void assertUnavailable(CompletableFuture<String> answer) throws Exception {
        MintException e = failure(answer);
        assertThat(e.kind(), is(Kind.UNAVAILABLE));
        assertThat(e.code(), is("keycloak_unavailable"));
    }

    private static MintException failure(CompletableFuture<String> answer) throws Exception {
        ExecutionException e = assertThrows(ExecutionException.class,
                () -> answer.get(SOON.toSeconds(), TimeUnit.SECONDS));
        return (MintException) e.getCause();
    }
}
