package dev.machineoidc.keycloak.contention;

import dev.machineoidc.keycloak.refusal.Refusal;
import org.junit.jupiter.api.Test;
import org.keycloak.models.ModelDuplicateException;
import org.keycloak.models.ModelException;

import java.sql.SQLException;
import java.time.Duration;
import java.util.OptionalLong;
import java.util.concurrent.atomic.AtomicInteger;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.is;
import static org.junit.jupiter.api.Assertions.assertThrows;

class ContentionRetryTest {

    private static final RuntimeException LOCK_TIMEOUT =
            new ModelException("Database operation failed", new SQLException("Timeout trying to lock table", "HYT00"));

    private final ContentionRetry retry = new ContentionRetry(3, Duration.ofMillis(1), "org 'x'");

    @Test
    void aLoserTriesAgainAndGetsTheAnswerOfItsNextAttempt() {
        AtomicInteger calls = new AtomicInteger();
        Refusal conflict = assertThrows(Refusal.class, () -> retry.run(() -> {
            if (calls.incrementAndGet() == 1) {
                throw new ModelDuplicateException("Duplicate resource error");
            }
            throw Refusal.conflict("exists");
        }));
        assertThat(conflict.kind().status(), is(409));
        assertThat(calls.get(), is(2));
    }

    @Test
    void aWinnerThatRolledBackLetsTheNextAttemptCreate() {
        AtomicInteger calls = new AtomicInteger();
        String id = retry.run(() -> {
            if (calls.incrementAndGet() < 3) {
                throw LOCK_TIMEOUT;
            }
            return "id";
        });
        assertThat(id, is("id"));
        assertThat(calls.get(), is(3));
    }

    @Test
    void afterTheLastAttemptTheCallerIsToldToTryAgain() {
        AtomicInteger calls = new AtomicInteger();
        Refusal unavailable = assertThrows(Refusal.class, () -> retry.run(() -> {
            calls.incrementAndGet();
            throw LOCK_TIMEOUT;
        }));
        assertThat(calls.get(), is(3));
        assertThat(unavailable.kind().status(), is(503));
        assertThat(unavailable.code(), is("concurrent_update"));
        assertThat(unavailable.getMessage(), containsString("org 'x'"));
        assertThat(unavailable.retryAfterSeconds(), is(OptionalLong.of(1)));
    }

    @Test
    void otherFailuresAndRefusalsAreNotRetried() {
        AtomicInteger calls = new AtomicInteger();
        assertThrows(IllegalStateException.class, () -> retry.run(() -> {
            calls.incrementAndGet();
            throw new IllegalStateException("bug");
        }));
        assertThrows(Refusal.class, () -> retry.run(() -> {
            calls.incrementAndGet();
            throw Refusal.invalid("invalid_name", "bad");
        }));
        assertThat(calls.get(), is(2));
    }

    @Test
    void atLeastOneAttempt() {
        assertThrows(IllegalArgumentException.class, () -> new ContentionRetry(0, Duration.ZERO, "x"));
    }
}
