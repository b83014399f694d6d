package dev.machineoidc.keycloak.contention;

import dev.machineoidc.keycloak.refusal.Refusal;
import org.jboss.logging.Logger;

import java.time.Duration;
import java.util.concurrent.locks.LockSupport;
import java.util.function.Supplier;

/**
 * Runs a create that competes with concurrent creators of the same thing, each attempt in a transaction of its own,
 * and tries again while it loses to one ({@link WriteContention}). The attempt itself answers 409 once it finds the
 * winner's committed result; while the winner is still at work, every further attempt waits on its locks again, so
 * the number of attempts bounds the wait. After the last one the caller gets a 503 that says to try again.
 */
public final class ContentionRetry {

    private static final Logger LOG = Logger.getLogger(ContentionRetry.class);

    private final int attempts;
    private final Duration pause;
    private final String what;

    /**
     * @param attempts at most this many tries
     * @param pause    the wait before the second try, doubled before each further one: a database that rolls a loser
     *                 back at once (a deadlock, a serialization failure) does not make this a busy loop
     * @param what     what is being created, for the error message
     */
    public ContentionRetry(int attempts, Duration pause, String what) {
        if (attempts < 1) {
            throw new IllegalArgumentException("attempts must be at least 1, is " + attempts);
        }
        this.attempts = attempts;
        this.pause = pause;
        this.what = what;
    }

    public <T> T run(Supplier<T> attempt) {
        Duration wait = pause;
        for (int tried = 1; ; tried++) {
            try {
                return attempt.get();
            } catch (RuntimeException e) {
                if (!WriteContention.isContention(e)) {
                    throw e;
                }
                if (tried == attempts) {
                    LOG.warnf("Creating %s lost to concurrent writers %d times; the caller is asked to try again: %s",
                            what, tried, e.toString());
                    throw Refusal.unavailable("concurrent_update", "Creating " + what
                            + " competed with concurrent changes and did not finish; try again.", wait);
                }
                LOG.debugf("Creating %s lost to a concurrent writer (attempt %d of %d), trying again: %s",
                        what, tried, attempts, e.toString());
                LockSupport.parkNanos(wait.toNanos());
                wait = wait.multipliedBy(2);
            }
        }
    }
}
