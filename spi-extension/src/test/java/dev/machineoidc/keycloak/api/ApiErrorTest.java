package dev.machineoidc.keycloak.api;

import dev.machineoidc.keycloak.refusal.Refusal;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.contains;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.is;
import static org.hamcrest.Matchers.nullValue;
import static org.hamcrest.Matchers.sameInstance;
import static org.junit.jupiter.api.Assertions.assertThrows;

class ApiErrorTest {

    record Case(Supplier<Refusal> refusal, int status, String code) {
    }

    @Test
    void eachKindOfRefusalAnswersItsStatusCodeAndJsonBody() {
        List<Case> cases = List.of(
                new Case(() -> Refusal.invalid("invalid_x", "m"), 400, "invalid_x"),
                new Case(() -> Refusal.unauthenticated("invalid_client", "m"), 401, "invalid_client"),
                new Case(() -> Refusal.forbidden("aud_not_allowed", "m"), 403, "aud_not_allowed"),
                new Case(() -> Refusal.notFound("m"), 404, "not_found"),
                new Case(() -> Refusal.conflict("m"), 409, "conflict"),
                new Case(() -> Refusal.unavailable("unavailable", "m"), 503, "unavailable"));
        for (Case c : cases) {
            ApiError error = ApiError.of(c.refusal().get());
            assertThat(error.getResponse().getStatus(), is(c.status()));
            assertThat(error.getResponse().getMediaType().toString(), is("application/json"));
            assertThat(error.getResponse().getEntity(), equalTo(Map.of("error", c.code(), "message", "m")));
            assertThat(error.getResponse().getHeaderString("Retry-After"), is(nullValue()));
            assertThat(error.getMessage(), is("m"));
        }
    }

    @Test
    void aRateLimitRefusalSaysWhenToRetryInTheHeaderAndTheBody() {
        Refusal refusal = Refusal.rateLimited("over the limit", 3);
        ApiError error = ApiError.of(refusal);

        assertThat(error.getResponse().getStatus(), is(429));
        assertThat(error.getResponse().getHeaderString("Retry-After"), is("3"));
        assertThat(error.getResponse().getEntity(), equalTo(Map.of("error", "rate_limited", "message", "over the limit",
                "retry_after", 3L)));
        assertThat(refusal.json().keySet(), contains("error", "message", "retry_after"));
    }

    @Test
    void aStepThatWaitsForATimeSaysWhenInTheHeaderAndTheBody() {
        Instant now = Instant.parse("2026-01-01T00:00:00Z");
        ApiError error = ApiError.of(Refusal.conflictUntil("too_early", "wait", now.plusMillis(1500), now));

        assertThat(error.getResponse().getStatus(), is(409));
        assertThat(error.getResponse().getHeaderString("Retry-After"), is("2"));
        assertThat(error.getResponse().getEntity(), equalTo(Map.of("error", "too_early", "message", "wait",
                "allowed_at", "2026-01-01T00:00:01.500Z", "retry_after", 2L)));
    }

    @Test
    void anUnavailableRefusalMayTellWhenToRetryInTheHeaderOnly() {
        ApiError error = ApiError.of(Refusal.unavailable("busy", "try again", Duration.ofMillis(10)));

        assertThat(error.getResponse().getStatus(), is(503));
        assertThat(error.getResponse().getHeaderString("Retry-After"), is("1"));
        assertThat(error.getResponse().getEntity(), equalTo(Map.of("error", "busy", "message", "try again")));
    }

    @Test
    void bodyPutsErrorBeforeMessage() {
        assertThat(Refusal.invalid("c", "text").json().keySet(), contains("error", "message"));
    }

    @Test
    void answeringTurnsARefusalIntoItsAnswerAndLetsEverythingElsePass() {
        Refusal refusal = Refusal.notFound("gone");
        ApiError answered = assertThrows(ApiError.class, () -> ApiError.answering(() -> {
            throw refusal;
        }));
        assertThat(answered.getResponse().getStatus(), is(404));
        assertThat(answered.getCause(), is(sameInstance(refusal)));

        IllegalStateException bug = new IllegalStateException("bug");
        assertThat(assertThrows(IllegalStateException.class, () -> ApiError.answering(() -> {
            throw bug;
        })), is(sameInstance(bug)));
        assertThat(ApiError.answering(() -> "answer"), is("answer"));
    }
}
