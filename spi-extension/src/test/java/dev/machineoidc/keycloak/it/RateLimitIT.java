package dev.machineoidc.keycloak.it;

import com.fasterxml.jackson.databind.JsonNode;
import dev.machineoidc.arquillian.JsonResponse;
import dev.machineoidc.keycloak.it.support.Poll;
import dev.machineoidc.keycloak.it.support.TestMachine;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.stream.StreamSupport;

import static dev.machineoidc.keycloak.it.MintIT.assertError;
import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.everyItem;
import static org.hamcrest.Matchers.greaterThanOrEqualTo;
import static org.hamcrest.Matchers.is;
import static org.hamcrest.Matchers.lessThanOrEqualTo;

/** The org setting {@code mint_rate_limit} against the real server: the setting, the 429s, the audit, the recovery. */
class RateLimitIT extends ProviderDeployment {

    private static String org() {
        return "limit-" + UUID.randomUUID().toString().substring(0, 8);
    }

    @Test
    void theSettingHasAGenerousDefaultAndTakesRatesInItsRange() {
        String org = org();
        keycloak.provision(admin, org, "app", "m");
        String settings = keycloak.admin(org, "/machine-oidc/settings");

        assertThat(http.get(settings, admin).json().get("mint_rate_limit").asDouble(), is(100.0));
        JsonResponse half = http.json("PUT", settings, admin, Map.of("mint_rate_limit", 0.5));
        assertThat(half.body(), half.status(), is(200));
        assertThat(half.json().get("mint_rate_limit").asDouble(), is(0.5));
        assertThat(http.get(settings, admin).json().get("mint_rate_limit").asDouble(), is(0.5));
        assertThat("other settings stay", http.get(settings, admin).json().get("token_lifetime").asInt(), is(600));

        for (Object bad : List.of(0, -1, 0.001, 100_001, "10")) {
            JsonResponse refused = http.json("PUT", settings, admin, Map.of("mint_rate_limit", bad));
            assertThat(bad + ": " + refused.body(), refused.status(), is(400));
        }
        assertThat(http.get(settings, admin).json().get("mint_rate_limit").asDouble(), is(0.5));
        assertError(http.json("PUT", settings, admin, Map.of("mint_rate_limit", 0)), 400, "invalid_settings");
        assertThat(http.json("PUT", settings, admin, Map.of("mint_rate_limit", 0)).json().get("message").asText(),
                is("Invalid settings: the mint rate limit must be 0.01-100000 tokens per second, not 0."));
        assertError(http.json("PUT", settings, admin, Map.of("mint_rate_limit", "fast")), 400, "invalid_request");

        String created = org();
        Map<String, Object> withLimit = Map.of("name", created, "mint_rate_limit", 2.5);
        assertThat(http.json("POST", keycloak.admin("master", "/machine-oidc/orgs"), admin, withLimit).status(), is(201));
        assertThat(http.get(keycloak.admin(created, "/machine-oidc/settings"), admin).json().get("mint_rate_limit").asDouble(),
                is(2.5));
    }

    @Test
    void overTheLimitAMachineGets429WithRetryAfterAndOneEventPerBurst() {
        String org = org();
        TestMachine machine = limitedMachine(org, 1);

        assertThat(machine.tryMint("{}").status(), is(200));
        assertThat(machine.tryMint("{}").status(), is(200));
        JsonResponse third = machine.tryMint("{}");
        assertRateLimited(third);
        List<JsonResponse> moreOfTheBurst = List.of(machine.tryMint("{}"), machine.tryMint("{}"), machine.tryMintBatch(requests(3)));
        moreOfTheBurst.forEach(RateLimitIT::assertRateLimited);
        assertThat(rateLimitEvents(org).size(), is(1));
        JsonNode event = rateLimitEvents(org).get(0);
        assertThat(event.get("details").get("machine_id").asText(), is(machine.machineId()));
        assertThat(event.get("details").get("refused").asText(), is("1"));
        assertThat(Long.parseLong(event.get("details").get("retry_after").asText()), is(1L));

        Poll.until("the machine mints again after Retry-After", Duration.ofSeconds(10), () -> machine.tryMint("{}").status() == 200);
        assertThat("waiting out a burst is part of it: no event", rateLimitEvents(org).size(), is(1));

        List<Integer> statuses = new ArrayList<>();
        while (statuses.size() < 5 && !statuses.contains(429)) {
            statuses.add(machine.tryMint("{}").status());
        }
        assertThat(statuses.toString(), statuses.contains(429), is(true));
        assertThat("a second burst, a second event", rateLimitEvents(org).size(), is(2));
    }

    @Test
    void aBatchGetsTheTokensThatFitAndTheRestAre429ItemsThenTheWholeCallIsRefused() {
        String org = org();
        TestMachine machine = limitedMachine(org, 1);

        JsonResponse batch = machine.tryMintBatch(requests(7));

        assertThat(batch.body(), batch.status(), is(200));
        List<JsonNode> results = StreamSupport.stream(batch.json().get("results").spliterator(), false).toList();
        assertThat(results.size(), is(7));
        assertThat("the first two (burst = 2 x 1) are tokens", results.subList(0, 2).stream().map(r -> r.has("token")).toList(),
                everyItem(is(true)));
        for (JsonNode refused : results.subList(2, 7)) {
            assertThat(refused.toString(), refused.get("status").asInt(), is(429));
            assertThat(refused.get("error").asText(), is("rate_limited"));
            assertThat(refused.get("retry_after").asLong(), is(1L));
        }
        assertRateLimited(machine.tryMintBatch(requests(1)));
        assertThat(rateLimitEvents(org).size(), is(1));
        assertThat(rateLimitEvents(org).get(0).get("details").get("refused").asText(), is("5"));
    }

    /** A machine of a new org whose limit is {@code rate} and whose realm stores its events. */
    private TestMachine limitedMachine(String org, double rate) {
        TestMachine machine = keycloak.provision(admin, org, "app", "m").enroll().signAssertion();
        JsonResponse limited = http.json("PUT", keycloak.admin(org, "/machine-oidc/settings"), admin, Map.of("mint_rate_limit", rate));
        assertThat(limited.body(), limited.status(), is(200));
        JsonResponse realm = http.json("PUT", keycloak.admin(org, ""), admin, Map.of("eventsEnabled", true));
        assertThat(realm.body(), realm.status(), is(204));
        return machine;
    }

    private static void assertRateLimited(JsonResponse answer) {
        assertError(answer, 429, "rate_limited");
        long retryAfter = Long.parseLong(answer.header("Retry-After").orElseThrow());
        assertThat(retryAfter, greaterThanOrEqualTo(1L));
        assertThat(retryAfter, lessThanOrEqualTo(2L));
        assertThat(answer.json().get("retry_after").asLong(), is(retryAfter));
        assertThat(answer.json().get("message").asText(), containsString("retry in " + retryAfter + " s"));
    }

    private List<JsonNode> rateLimitEvents(String org) {
        JsonResponse events = http.get(keycloak.admin(org, "/events?type=TOKEN_EXCHANGE_ERROR"), admin);
        assertThat(events.body(), events.status(), is(200));
        return StreamSupport.stream(events.json().spliterator(), false)
                .filter(e -> "rate_limited".equals(e.path("error").asText()))
                .toList();
    }

    private static String requests(int count) {
        return "{\"requests\":[" + String.join(",", Collections.nCopies(count, "{}")) + "]}";
    }
}
