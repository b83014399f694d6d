package dev.machineoidc.bridge.tokenfile;

import java.nio.file.Path;
import java.time.Instant;
import java.util.Optional;

/**
 * How one token file is doing, as its refresher reports it and the status view and metrics read it. One writer (the
 * refresher's thread), any number of readers: each report replaces an immutable {@link Snapshot}.
 */
public final class TokenFileState {

    private volatile Snapshot current;

    /** @param startedAt the first write is due at once: until it happens, the file counts as overdue since then */
    public TokenFileState(Path path, String audience, Instant startedAt) {
        current = new Snapshot(path, audience, Optional.empty(), startedAt, startedAt, Optional.empty(), 0,
                Optional.empty());
    }

    public Snapshot snapshot() {
        return current;
    }

    void written(Instant at, Instant refreshDueAt) {
        Snapshot was = current;
        current = new Snapshot(was.path(), was.audience(), Optional.of(at), refreshDueAt, refreshDueAt,
                Optional.empty(), was.failures(), Optional.empty());
    }

    /** @param error why, for people; never a token */
    void failed(String error, Instant retryAt) {
        Snapshot was = current;
        current = new Snapshot(was.path(), was.audience(), was.writtenAt(), was.refreshDueAt(), retryAt,
                Optional.of(error), was.failures() + 1, was.removedAt());
    }

    /** The file was removed because its token was about to expire with no new one to replace it. */
    void removed(Instant at) {
        Snapshot was = current;
        current = new Snapshot(was.path(), was.audience(), was.writtenAt(), was.refreshDueAt(), was.nextAttemptAt(),
                was.lastError(), was.failures(), Optional.of(at));
    }

    /**
     * @param writtenAt the last successful write; empty before the first
     * @param refreshDueAt when the file's token is due to be replaced (90 % of its life after the write); it does not
     *     move while attempts fail, so a time in the past means the file is overdue
     * @param nextAttemptAt when the refresher tries next: the due time, or the backoff's retry after a failure
     * @param lastError why the latest attempt failed; empty once one succeeds
     * @param failures failed attempts since the bridge started
     * @param removedAt when the file was removed, its token about to expire unreplaced; empty once it is written again
     */
    public record Snapshot(Path path, String audience, Optional<Instant> writtenAt, Instant refreshDueAt,
                           Instant nextAttemptAt, Optional<String> lastError, long failures,
                           Optional<Instant> removedAt) {
    }
}
