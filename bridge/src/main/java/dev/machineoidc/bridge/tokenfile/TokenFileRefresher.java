package dev.machineoidc.bridge.tokenfile;

import dev.machineoidc.bridge.files.PrivateFiles;
import dev.machineoidc.bridge.mint.MintException;
import dev.machineoidc.bridge.mint.TokenMinter;
import dev.machineoidc.bridge.mint.TokenRequest;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps a token file (e.g. for {@code AWS_WEB_IDENTITY_TOKEN_FILE}) current: a fresh token at start,
 * then again at 90 % of each token's life, with backoff while Keycloak is away, and no sooner than Keycloak's
 * Retry-After when the machine is over its rate limit. Tokens are never logged.
 */
public final class TokenFileRefresher {

    private static final Logger LOG = LoggerFactory.getLogger(TokenFileRefresher.class);
    static final Duration FIRST_RETRY = Duration.ofSeconds(1);
    static final Duration MAX_RETRY = Duration.ofSeconds(30);

    private final TokenMinter minter;
    private final TokenRequest request;
    private final Path file;
    private final Scheduler scheduler;
    private final Backoff backoff = new Backoff(FIRST_RETRY, MAX_RETRY);

    public TokenFileRefresher(TokenMinter minter, String audience, Path file, Scheduler scheduler) {
        this.minter = minter;
        this.request = TokenRequest.forAudience(audience);
        this.file = file;
        this.scheduler = scheduler;
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
            LOG.info("Token file {} refreshed for aud {}; next refresh in {} s", file,
                    request.audience().orElseThrow(), next.toSeconds());
        } catch (MintException | IOException | IllegalArgumentException e) {
            next = backoff.next();
            Duration asked = e instanceof MintException refusal ? Duration.ofSeconds(refusal.retryAfterSeconds()) : Duration.ZERO;
            if (asked.compareTo(next) > 0) {
                next = asked; // over the org's rate limit: Keycloak said when to come back
            }
            LOG.warn("Token file {} not refreshed ({}); retrying in {} ms", file, e.getMessage(), next.toMillis());
        } catch (RuntimeException e) {
            // Keep the file alive whatever went wrong; the stack trace is for us, it holds no token.
            next = backoff.next();
            LOG.error("Token file {} not refreshed; retrying in {} ms", file, next.toMillis(), e);
        }
        scheduler.schedule(this::refresh, next);
    }
}
