package dev.machineoidc.bridge.tokenfile;

import dev.machineoidc.bridge.files.PrivateFiles;
import dev.machineoidc.bridge.mint.MintException;
import dev.machineoidc.bridge.mint.TokenMinter;
import dev.machineoidc.bridge.mint.TokenRequest;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps a token file (e.g. for {@code AWS_WEB_IDENTITY_TOKEN_FILE}) current: a fresh token at start,
 * then again at 90 % of each token's life, with backoff while Keycloak is away, and no sooner than Keycloak's
 * Retry-After when the machine is over its rate limit. Tokens are never logged. Each attempt is reported to the
 * file's {@link TokenFileState}.
 */
public final class TokenFileRefresher {

    private static final Logger LOG = LoggerFactory.getLogger(TokenFileRefresher.class);
    static final Duration FIRST_RETRY = Duration.ofSeconds(1);
    static final Duration MAX_RETRY = Duration.ofSeconds(30);

    private final TokenMinter minter;
    private final TokenRequest request;
    private final Path file;
    private final Scheduler scheduler;
    private final TokenFileState state;
    private final Clock clock;
    private final Backoff backoff = new Backoff(FIRST_RETRY, MAX_RETRY);

    /** @param state names the file and its audience, and receives the outcome of every attempt */
    public TokenFileRefresher(TokenMinter minter, TokenFileState state, Scheduler scheduler, Clock clock) {
        this.minter = minter;
        this.request = TokenRequest.forAudience(state.snapshot().audience());
        this.file = state.snapshot().path();
        this.scheduler = scheduler;
        this.state = state;
        this.clock = clock;
    }

    public void start() {
        scheduler.schedule(this::refresh, Duration.ZERO);
    }

    /** Runs on the scheduler only, one run at a time: each run schedules the next. */
    void refresh() {
        Duration next;
        try {
            String token = minter.mint(request);
            next = RefreshDelay.of(token);
            PrivateFiles.writeAtomically(file, token.getBytes(StandardCharsets.US_ASCII));
            backoff.reset();
            Instant now = clock.instant();
            state.written(now, now.plus(next));
            LOG.info("Token file {} refreshed for aud {}; next refresh in {} s", file,
                    request.audience().orElseThrow(), next.toSeconds());
        } catch (MintException | IOException | IllegalArgumentException e) {
            String error = describe(e);
            Duration asked = e instanceof MintException refusal ? Duration.ofSeconds(refusal.retryAfterSeconds()) : Duration.ZERO;
            next = failed(error, asked);
            LOG.warn("Token file {} not refreshed ({}); retrying in {} ms", file, error, next.toMillis());
        } catch (RuntimeException e) {
            // Keep the file alive whatever went wrong; the stack trace is for us, it holds no token.
            next = failed("unexpected error; see the bridge's log", Duration.ZERO);
            LOG.error("Token file {} not refreshed; retrying in {} ms", file, next.toMillis(), e);
        }
        scheduler.schedule(this::refresh, next);
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
     * @return the delay before the retry: the backoff's, or longer when Keycloak asked for more
     */
    private Duration failed(String error, Duration asked) {
        Duration backoffDelay = backoff.next();
        Duration retry = asked.compareTo(backoffDelay) > 0 ? asked : backoffDelay;
        state.failed(error, clock.instant().plus(retry));
        return retry;
    }
}
