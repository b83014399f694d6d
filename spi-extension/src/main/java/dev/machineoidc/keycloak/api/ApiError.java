package dev.machineoidc.keycloak.api;

import dev.machineoidc.keycloak.refusal.Refusal;
import jakarta.ws.rs.WebApplicationException;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

import java.util.function.Supplier;

/**
 * A {@link Refusal} answered over HTTP: its kind's status, {@code {"error":"<code>","message":"<text>",...}} and, when
 * it says when to try again, {@code Retry-After}. The one place where refusals become HTTP, for the admin API and the
 * org endpoints alike. Thrown rather than returned so that Keycloak rolls the request's transaction back.
 */
public final class ApiError extends WebApplicationException {

    private ApiError(Refusal refusal) {
        super(refusal.getMessage(), refusal, answer(refusal));
    }

    public static ApiError of(Refusal refusal) {
        return new ApiError(refusal);
    }

    /** Runs an endpoint's work and answers a refusal it throws. */
    public static <T> T answering(Supplier<T> work) {
        try {
            return work.get();
        } catch (Refusal refusal) {
            throw of(refusal);
        }
    }

    private static Response answer(Refusal refusal) {
        Response.ResponseBuilder answer = Response.status(refusal.kind().status())
                .type(MediaType.APPLICATION_JSON_TYPE)
                .entity(refusal.json());
        refusal.retryAfterSeconds().ifPresent(seconds -> answer.header(HttpHeaders.RETRY_AFTER, Long.toString(seconds)));
        return answer.build();
    }
}
