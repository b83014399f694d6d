package dev.machineoidc.bridge.tokenfile;

import dev.machineoidc.bridge.files.AtomicFiles;
import dev.machineoidc.bridge.files.FileAccess;
import dev.machineoidc.bridge.mint.MintException;
import dev.machineoidc.bridge.mint.TokenMinter;
import dev.machineoidc.bridge.mint.TokenRequest;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps one token file (for {@code AWS_WEB_IDENTITY_TOKEN_FILE}, {@code AZURE_FEDERATED_TOKEN_FILE}, GCP, Vault…)
 * current: a fresh token at start, then again at 90 % of each token's life, with backoff while Keycloak is away, and
 * no sooner than Keycloak's Retry-After when the machine is over its rate limit. When refreshing keeps failing, the
 * file is removed at 95 % of its token's life (see {@link TokenLife#removeAfter()}), so that no consumer reads an
 * expired token; a retry is moved up to that moment so that it happens on time. Failures are logged when the file
 * starts failing and when it recovers or is removed, not at every retry. Tokens are never logged. Each attempt is
 * reported to the file's {@link TokenFileState}.
 */
public final class TokenFileRefresher {

    private static final Logger LOG = LoggerFactory.getLogger(TokenFileRefresher.class);
    static final Duration FIRST_RETRY = Duration.ofSeconds(1);
    static final Duration MAX_RETRY = Duration.ofSeconds(30);

    private final TokenMinter minter;
    private final TokenRequest request;
    private final Path file;
    private final FileAccess access;
    private final Scheduler scheduler;
    private final TokenFileState state;
    private final Clock clock;
    private final Backoff backoff = new Backoff(FIRST_RETRY, MAX_RETRY);
    /** When the file on disk must go if it is not replaced by then; null while there is none of ours. */
    private Instant removeAt;
    private boolean failing;

    /**
     * @param state names the file and its audience, and receives the outcome of every attempt
     * @param access the mode and group the file gets
     */
    public TokenFileRefresher(TokenMinter minter, TokenFileState state, FileAccess access, Scheduler scheduler,
                              Clock clock) {
        this.minter = minter;
        this.request = TokenRequest.forAudience(state.snapshot().audience());
        this.file = state.snapshot().path();
        this.access = access;
        this.scheduler = scheduler;
        this.state = state;
        this.clock = clock;
    }

    public void start() {
        scheduler.schedule(this::refresh, Duration.ZERO);
    }

    /** Runs on the scheduler only, one run at a time: each run schedules the next. */
    void refresh() {
        Instant asked = clock.instant();
        // First, before a mint that may take its time: the token on disk is at the end of its life.
        if (removeAt != null && !asked.isBefore(removeAt)) {
            remove();
        }
        Duration next;
        try {
            String token = minter.mint(request);
            TokenLife life = TokenLife.of(token);
            AtomicFiles.write(file, token.getBytes(StandardCharsets.US_ASCII), access);
            next = written(asked, life);
        } catch (MintException | IOException | IllegalArgumentException e) {
            String error = describe(e);
            Duration askedWait = e instanceof MintException refusal ? Duration.ofSeconds(refusal.retryAfterSeconds()) : Duration.ZERO;
            next = failed(error, askedWait);
            if (startsFailing()) {
                LOG.warn("Token file {} not refreshed ({}); retrying with backoff, logged again once it recovers or "
                        + "is removed", file, error);
            }
        } catch (RuntimeException e) {
            // Keep the file alive whatever went wrong; the stack trace is for us, it holds no token.
            next = failed("unexpected error; see the bridge's log", Duration.ZERO);
            if (startsFailing()) {
                LOG.error("Token file {} not refreshed; retrying with backoff", file, e);
            }
        }
        scheduler.schedule(this::refresh, next);
    }

    /** @return the delay until the next refresh */
    private Duration written(Instant asked, TokenLife life) {
        backoff.reset();
        Instant now = clock.instant();
        Instant due = asked.plus(life.refreshAfter());
        removeAt = asked.plus(life.removeAfter());
        state.written(now, due);
        LOG.info("Token file {} refreshed{} for aud {}; next refresh in {} s", file, failing ? " again" : "",
                request.audience().orElseThrow(), Duration.between(now, due).toSeconds());
        failing = false;
        return Duration.between(now, due);
    }

    /** @return whether this failure is the first since the file was last healthy */
    private boolean startsFailing() {
        boolean first = !failing;
        failing = true;
        return first;
    }

    private void remove() {
        removeAt = null;
        try {
            Files.deleteIfExists(file);
            state.removed(clock.instant());
            LOG.warn("Token file {} removed: its token is about to expire and no new one could be had ({})", file,
                    state.snapshot().lastError().orElse("no error recorded"));
        } catch (IOException e) {
            LOG.warn("Token file {} could not be removed before its token expires: {}", file, e.toString());
        }
    }

    /** Safe to show: a mint failure's message is the caller's, a file error names the file, a bad answer says so. */
    private static String describe(Exception e) {
        if (e instanceof MintException mint) {
            return mint.code() + ": " + mint.getMessage();
        }
        return e instanceof IOException ? "cannot write the file: " + e : e.getMessage();
    }

    /**
     * @param asked the wait Keycloak asked for (over the org's rate limit), or zero
     * @return the delay before the retry: the backoff's, or longer when Keycloak asked for more, but no later than
     *     the file's removal
     */
    private Duration failed(String error, Duration asked) {
        Instant now = clock.instant();
        Duration backoffDelay = backoff.next();
        Duration retry = asked.compareTo(backoffDelay) > 0 ? asked : backoffDelay;
        if (removeAt != null && now.plus(retry).isAfter(removeAt)) {
            retry = now.isBefore(removeAt) ? Duration.between(now, removeAt) : Duration.ZERO;
        }
        state.failed(error, now.plus(retry));
        return retry;
    }
}
