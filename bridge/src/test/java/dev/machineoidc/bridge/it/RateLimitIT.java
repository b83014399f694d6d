package dev.machineoidc.bridge.it;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.greaterThanOrEqualTo;
import static org.hamcrest.Matchers.is;
import static org.hamcrest.Matchers.lessThanOrEqualTo;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.eclipse.jetty.client.ContentResponse;
import org.eclipse.jetty.http.HttpHeader;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The org's mint rate limit as a workload meets it through the socket: Keycloak's 429 passed through with
 * {@code Retry-After}, not retried by the bridge.
 */
@Timeout(120)
class RateLimitIT extends WithKeycloak {

    private static final ObjectMapper JSON = new ObjectMapper();
    /** Calls to Keycloak's mint endpoints, from its own metrics: each one a single or a batch call. */
    private static final Pattern MINT_CALLS = Pattern.compile("(?m)^machine_oidc_mint_seconds_count(?:\\{[^}]*})? (\\S+)$");

    @Test
    void overTheLimitTheSocketAnswers429WithRetryAfterAndTheBridgeDoesNotRetry() throws Exception {
        Provisioner provisioner = new Provisioner(server);
        Machine machine = provisioner.newOrgWithMachine("bridge-limit");
        JsonNode settings = provisioner.putSettings(machine, Map.of("mint_rate_limit", 1)); // bursts of two tokens
        assertThat(settings.get("mint_rate_limit").asDouble(), is(1.0));

        try (RunningBridge bridge = RunningBridge.start(server.baseUrl(), machine, options -> options)) {
            double callsBefore = mintCalls();
            List<ContentResponse> answers = List.of(bridge.mint("{}"), bridge.mint("{}"), bridge.mint("{}"));
            double calls = mintCalls() - callsBefore;

            assertThat(answers.get(0).getStatus(), is(200));
            assertThat(answers.get(1).getStatus(), is(200));
            ContentResponse refused = answers.get(2);
            assertThat(refused.getContentAsString(), refused.getStatus(), is(429));
            assertThat(refused.getHeaders().get(HttpHeader.CONTENT_TYPE), is("application/json"));
            JsonNode body = JSON.readTree(refused.getContentAsString());
            assertThat(body.get("error").asText(), is("rate_limited"));
            assertThat(body.get("message").asText(), containsString("rate limit"));
            long retryAfter = Long.parseLong(refused.getHeaders().get(HttpHeader.RETRY_AFTER));
            assertThat(retryAfter, greaterThanOrEqualTo(1L));
            assertThat(retryAfter, lessThanOrEqualTo(2L));
            assertThat("one Keycloak call per socket request: the 429 was not retried", calls, is(3.0));
        }
    }

    private double mintCalls() throws Exception {
        HttpResponse<String> metrics = HttpClient.newHttpClient().send(
                HttpRequest.newBuilder(server.managementUrl().resolve("/metrics")).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(metrics.statusCode(), is(200));
        Matcher sample = MINT_CALLS.matcher(metrics.body());
        double sum = 0;
        while (sample.find()) {
            sum += Double.parseDouble(sample.group(1));
        }
        return sum;
    }
}
