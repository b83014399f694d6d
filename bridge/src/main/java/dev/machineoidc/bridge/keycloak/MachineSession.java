package dev.machineoidc.bridge.keycloak;

import com.nimbusds.jose.util.JSONObjectUtils;
import dev.machineoidc.bridge.mint.MintException;
import dev.machineoidc.bridge.mint.MintException.Kind;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.text.ParseException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.locks.ReentrantLock;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The bridge's short-lived bearer for the mint endpoint, got by {@code client_credentials} with a
 * {@code private_key_jwt}. Refreshed when less than a third of its life remains, or at once after the
 * mint endpoint refused it. One refresh at a time; other callers wait no longer than their deadline.
 */
final class MachineSession {

    private static final Logger LOG = LoggerFactory.getLogger(MachineSession.class);

    private final KeycloakTransport transport;
    private final String tokenPath;
    private final String clientId;
    private final ClientAssertion assertion;
    private final Clock clock;
    private final AtomicReference<Bearer> current = new AtomicReference<>();
    private final ReentrantLock refreshing = new ReentrantLock();

    MachineSession(KeycloakTransport transport, String org, String clientId, ClientAssertion assertion, Clock clock) {
        this.transport = transport;
        this.tokenPath = "realms/" + org + "/protocol/openid-connect/token";
        this.clientId = clientId;
        this.assertion = assertion;
        this.clock = clock;
    }

    /** @return a bearer that is fresh enough to use */
    String bearer(Deadline deadline) throws MintException {
        Bearer bearer = current.get();
        if (bearer != null && bearer.isFresh(clock.instant())) {
            return bearer.token();
        }
        try {
            if (!refreshing.tryLock(deadline.remaining().toNanos(), TimeUnit.NANOSECONDS)) {
                throw MintFailures.unavailable();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw MintFailures.unavailable();
        }
        try {
            bearer = current.get();
            if (bearer != null && bearer.isFresh(clock.instant())) {
                return bearer.token();
            }
            return refresh(bearer, deadline);
        } finally {
            refreshing.unlock();
        }
    }

    /** Forgets the bearer the mint endpoint refused, unless another caller has replaced it already. */
    void invalidate(String refused) {
        current.updateAndGet(bearer -> bearer != null && bearer.token().equals(refused) ? null : bearer);
    }

    private String refresh(Bearer previous, Deadline deadline) throws MintException {
        try {
            Bearer fresh = fetch(deadline);
            current.set(fresh);
            return fresh.token();
        } catch (MintException e) {
            // Keycloak down while the old bearer still works: keep minting with it.
            if (e.kind() == Kind.UNAVAILABLE && previous != null && previous.isValid(clock.instant())) {
                return previous.token();
            }
            throw e;
        }
    }

    private Bearer fetch(Deadline deadline) throws MintException {
        String form = "grant_type=client_credentials"
                + "&client_id=" + encode(clientId)
                + "&client_assertion_type=" + encode(ClientAssertion.TYPE)
                + "&client_assertion=" + encode(assertion.create());
        Instant requested = clock.instant();
        KeycloakResponse response;
        try {
            response = transport.post(tokenPath, "application/x-www-form-urlencoded", form, null, deadline);
        } catch (KeycloakUnavailableException e) {
            throw MintFailures.unavailable();
        }
        int status = response.status();
        if (status == 200) {
            return parse(response.body(), requested);
        }
        if (status == 400 || status == 401) {
            KeycloakError error = KeycloakError.parse(response.body(), "unknown", "");
            LOG.warn("Keycloak refused the machine's session (HTTP {}, {}): revoked, disabled or re-keyed?",
                    status, error.code());
            throw new MintException(Kind.DENIED, "machine_revoked",
                    "Keycloak refused this machine's credentials: it was revoked, disabled or re-keyed");
        }
        if (response.isServerError()) {
            throw MintFailures.unavailable();
        }
        LOG.warn("Unexpected HTTP {} from Keycloak's token endpoint", status);
        throw MintFailures.unusableAnswer("Keycloak's token endpoint answered HTTP " + status);
    }

    private static Bearer parse(String body, Instant requested) throws MintException {
        try {
            Map<String, Object> json = JSONObjectUtils.parse(body);
            String token = JSONObjectUtils.getString(json, "access_token");
            long expiresIn = JSONObjectUtils.getLong(json, "expires_in");
            if (token == null || token.isEmpty() || expiresIn <= 0) {
                throw new ParseException("no access_token/expires_in", 0);
            }
            // Measured from when we asked, so a slow answer errs towards refreshing early.
            Duration life = Duration.ofSeconds(expiresIn);
            return new Bearer(token, requested.plus(life.multipliedBy(2).dividedBy(3)), requested.plus(life));
        } catch (ParseException e) {
            throw MintFailures.unusableAnswer("Keycloak's token endpoint sent an unusable answer");
        }
    }

    private static String encode(String value) {
        return URLEncoder.encode(value, StandardCharsets.UTF_8);
    }

    /** {@link #toString()} leaves the token out. */
    private record Bearer(String token, Instant refreshAfter, Instant expiresAt) {

        boolean isFresh(Instant now) {
            return now.isBefore(refreshAfter);
        }

        boolean isValid(Instant now) {
            return now.isBefore(expiresAt);
        }

        @Override
        public String toString() {
            return "Bearer[refreshAfter=" + refreshAfter + ", expiresAt=" + expiresAt + "]";
        }
    }
}
