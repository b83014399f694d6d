package dev.machineoidc.keycloak.api;

import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;
import java.util.function.Supplier;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.contains;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.is;

class ApiErrorTest {

    record Case(Supplier<ApiError> error, int status, String code) {
    }

    @Test
    void eachFactoryAnswersItsStatusCodeAndJsonBody() {
        List<Case> cases = List.of(
                new Case(() -> ApiError.badRequest("invalid_x", "m"), 400, "invalid_x"),
                new Case(() -> ApiError.unauthorized("invalid_client", "m"), 401, "invalid_client"),
                new Case(() -> ApiError.forbidden("aud_not_allowed", "m"), 403, "aud_not_allowed"),
                new Case(() -> ApiError.notFound("m"), 404, "not_found"),
                new Case(() -> ApiError.conflict("m"), 409, "conflict"),
                new Case(() -> ApiError.unavailable("unavailable", "m"), 503, "unavailable"));
        for (Case c : cases) {
            ApiError error = c.error().get();
            assertThat(error.code(), is(c.code()));
            assertThat(error.getResponse().getStatus(), is(c.status()));
            assertThat(error.getResponse().getMediaType().toString(), is("application/json"));
            assertThat(error.getResponse().getEntity(), equalTo(Map.of("error", c.code(), "message", "m")));
            assertThat(error.getMessage(), is("m"));
        }
    }

    @Test
    void aRateLimitRefusalSaysWhenToRetryInTheHeaderAndTheBody() {
        ApiError error = ApiError.rateLimited("over the limit", 3);

        assertThat(error.code(), is("rate_limited"));
        assertThat(error.getResponse().getStatus(), is(429));
        assertThat(error.getResponse().getHeaderString("Retry-After"), is("3"));
        assertThat(error.getResponse().getEntity(), equalTo(Map.of("error", "rate_limited", "message", "over the limit",
                "retry_after", 3L)));
        assertThat(error.json().keySet(), contains("error", "message", "retry_after"));
    }

    @Test
    void bodyPutsErrorBeforeMessage() {
        assertThat(ApiError.body("c", "text").keySet(), contains("error", "message"));
    }
}
