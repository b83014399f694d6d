package dev.machineoidc.bridge.keycloak;

import dev.machineoidc.bridge.mint.MintException;
import dev.machineoidc.bridge.mint.TokenRequest;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Deque;
import java.util.Iterator;
import java.util.List;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

/**
 * Group commit for mint calls. Callers queue their request; while fewer than {@link #MAX_IN_FLIGHT}
 * batches are with Keycloak, the newest waiting caller sends everything queued (up to
 * {@link #MAX_BATCH}) at once, on its own thread. A lone caller is thus a batch of one sent without
 * delay, and under load each batch takes whatever queued while the previous ones were out: no timer.
 *
 * <p>The batch runs under its sender's deadline. Every caller has the same budget, so the newest one's
 * deadline is the latest and covers everyone in the batch; a caller whose own deadline passes first,
 * queued or in flight, gives up then and is told Keycloak is unavailable.
 */
final class MintBatcher {

    /**
     * One batch being minted while the next one fills. More would only make batches compete for
     * Keycloak's few cores; one would leave Keycloak idle while each answer travels back.
     */
    static final int MAX_IN_FLIGHT = 2;
    /** The batch endpoint's limit: {@code batch_limit} in docs/contract/shared-rules.json, which a test ties it to. */
    static final int MAX_BATCH = 64;

    private final BatchCall call;
    private final ReentrantLock lock = new ReentrantLock();
    /** Requests no batch has taken yet, oldest first. */
    private final Deque<Slot> queue = new ArrayDeque<>();
    private int inFlight;

    MintBatcher(BatchCall call) {
        this.call = call;
    }

    String mint(TokenRequest request, AnswerDeadline deadline) throws MintException {
        Slot mine = new Slot(request, deadline, lock.newCondition());
        MintOutcome outcome;
        lock.lock();
        try {
            queue.addLast(mine);
            while (mine.outcome == null) {
                long nanos = deadline.remaining().toNanos();
                if (nanos == 0) {
                    throw MintFailures.unavailable();
                }
                if (inFlight < MAX_IN_FLIGHT && nextSender() == mine) {
                    send(mine);
                } else {
                    mine.wakeUp.awaitNanos(nanos);
                }
            }
            outcome = mine.outcome;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw MintFailures.unavailable();
        } finally {
            if (mine.outcome == null) {
                // Leaving unanswered (deadline, interrupt): out of the queue, and another caller sends instead.
                queue.remove(mine);
                handOver();
            }
            lock.unlock();
        }
        return outcome.token();
    }

    /** Sends the oldest queued requests, not necessarily the sender's own, and hands each its outcome. */
    private void send(Slot sender) {
        List<Slot> batch = new ArrayList<>(Math.min(queue.size(), MAX_BATCH));
        while (batch.size() < MAX_BATCH && !queue.isEmpty()) {
            batch.add(queue.pollFirst());
        }
        inFlight++;
        sender.sending = true;
        handOver();
        List<MintOutcome> outcomes = null;
        lock.unlock();
        try {
            outcomes = outcomes(batch, sender.deadline);
        } finally {
            lock.lock();
            inFlight--;
            sender.sending = false;
            if (outcomes != null) {
                for (int i = 0; i < batch.size(); i++) {
                    batch.get(i).complete(outcomes.get(i));
                }
            }
            handOver();
        }
    }

    private List<MintOutcome> outcomes(List<Slot> batch, AnswerDeadline deadline) {
        try {
            return call.mint(batch.stream().map(slot -> slot.request).toList(), deadline);
        } catch (MintException e) {
            return Collections.nCopies(batch.size(), MintOutcome.failed(e));
        } catch (RuntimeException e) {
            return Collections.nCopies(batch.size(), MintOutcome.failed(e));
        }
    }

    /**
     * Wakes whoever should send the next batch, if one may go. A wake-up can only be missed by a caller
     * that is not waiting, and such a caller looks again before it waits.
     */
    private void handOver() {
        if (inFlight < MAX_IN_FLIGHT) {
            Slot next = nextSender();
            if (next != null) {
                next.wakeUp.signal();
            }
        }
    }

    /** The newest queued caller that is not busy sending a batch of others' requests. */
    private Slot nextSender() {
        Iterator<Slot> newestFirst = queue.descendingIterator();
        while (newestFirst.hasNext()) {
            Slot slot = newestFirst.next();
            if (!slot.sending) {
                return slot;
            }
        }
        return null;
    }

    /** One caller's place in the queue; guarded by the lock. */
    private static final class Slot {

        final TokenRequest request;
        final AnswerDeadline deadline;
        final Condition wakeUp;
        /** Whether the caller is sending a batch. */
        boolean sending;
        MintOutcome outcome;

        Slot(TokenRequest request, AnswerDeadline deadline, Condition wakeUp) {
            this.request = request;
            this.deadline = deadline;
            this.wakeUp = wakeUp;
        }

        void complete(MintOutcome result) {
            outcome = result;
            wakeUp.signal();
        }
    }
}
