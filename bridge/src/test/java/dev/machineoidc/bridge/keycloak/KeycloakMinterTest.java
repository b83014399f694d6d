package dev.machineoidc.bridge.keycloak;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.endsWith;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasSize;
import static org.hamcrest.Matchers.is;
import static org.hamcrest.Matchers.lessThan;
import static org.hamcrest.Matchers.not;
import static org.junit.jupiter.api.Assertions.assertThrows;

import com.nimbusds.jose.jwk.ECKey;
import dev.machineoidc.bridge.identity.MachineIdentity;
import dev.machineoidc.bridge.identity.MachineKeys;
import dev.machineoidc.bridge.identity.Registration;
import dev.machineoidc.bridge.metrics.BridgeMetrics;
import dev.machineoidc.bridge.mint.MintException;
import dev.machineoidc.bridge.mint.MintException.Kind;
import dev.machineoidc.bridge.mint.TokenRequest;
import dev.machineoidc.bridge.status.BridgeStatus;
import dev.machineoidc.bridge.testing.FakeKeycloak;
import dev.machineoidc.testing.MutableClock;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * The Keycloak client, one caller or one batch at a time, against an in-test HTTP server speaking
 * docs/bridge-protocol.md.
 */
@Timeout(60)
class KeycloakMinterTest {

    private static final String ORG = "acme";
    private static final String MACHINE = "148e21ea7e46e8";
    private static final Duration BUDGET = Duration.ofMillis(1500);

    private final ECKey key = MachineKeys.generate();
    private FakeKeycloak keycloak;
    private KeycloakTransport transport;
    private final BridgeMetrics metrics = new BridgeMetrics();
    private MintAssertion assertion;

    @AfterEach
    void stop() throws Exception {
        if (transport != null) {
            transport.close();
        }
        if (keycloak != null) {
            keycloak.close();
        }
    }

    private KeycloakMinter minter(List<URI> urls, Clock clock) throws Exception {
        transport = KeycloakTransport.start(urls, Duration.ofSeconds(1), metrics.keycloakLatency());
        assertion = new MintAssertion(ORG, identity(), clock);
        return KeycloakMinter.create(transport, ORG, assertion, BUDGET);
    }

    /** The line of the exposition that counts Keycloak calls with this result. */
    private String keycloakCalls(String result) {
        String count = "machine_oidc_bridge_keycloak_seconds_count{result=\"" + result + "\"} ";
        String exposition = metrics.expose(new BridgeStatus.Snapshot(MACHINE, ORG, transport.currentUrl(),
                Optional.empty(), List.of()));
        return exposition.lines().filter(line -> line.startsWith(count)).findFirst().orElseThrow();
    }

    private MachineIdentity identity() {
        return new MachineIdentity(key, new Registration("machine-" + MACHINE));
    }

    private KeycloakMinter minterForFake() throws Exception {
        return minterForFake(Clock.systemUTC());
    }

    private KeycloakMinter minterForFake(Clock clock) throws Exception {
        startFake();
        return minter(List.of(keycloak.baseUrl()), clock);
    }

    /** A batch call straight to the fake, for what one caller through the minter cannot show. */
    private KeycloakBatchCall batchCallForFake() throws Exception {
        startFake();
        transport = KeycloakTransport.start(List.of(keycloak.baseUrl()), Duration.ofSeconds(1));
        return new KeycloakBatchCall(transport, ORG, new MintAssertion(ORG, identity(), Clock.systemUTC()));
    }

    private void startFake() throws IOException {
        keycloak = FakeKeycloak.start(ORG, MACHINE);
        keycloak.trustKey(key.toPublicJWK());
    }

    private static List<TokenRequest> threeRequests() {
        return List.of(TokenRequest.forAudience("a.example"), TokenRequest.forAudience("b.example"), TokenRequest.DEFAULTS);
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        }
    }

    @Test
    void mintsWithOneAssertionForManyTokensAndForwardsTheRequest() throws Exception {
        KeycloakMinter minter = minterForFake();

        String first = minter.mint(new TokenRequest(Optional.of("sts.amazonaws.com"), true));
        String second = minter.mint(TokenRequest.DEFAULTS);

        assertThat(first, not(equalTo(second)));
        assertThat(keycloak.badAssertions(), equalTo(0));
        assertThat(keycloak.distinctAssertions(), equalTo(1));
        assertThat(keycloak.mintBodies(), equalTo(List.of(
                "{\"requests\":[{\"aud\":\"sts.amazonaws.com\",\"aws_principal_tags\":true}]}",
                "{\"requests\":[{}]}")));
    }

    @Test
    void aBatchSendsEveryRequestInOrderAndHandsEachItsOwnToken() throws Exception {
        KeycloakBatchCall call = batchCallForFake();

        List<MintOutcome> outcomes = call.mint(threeRequests(), AnswerDeadline.after(BUDGET));

        assertThat(keycloak.mintBodies(), equalTo(List.of(
                "{\"requests\":[{\"aud\":\"a.example\"},{\"aud\":\"b.example\"},{}]}")));
        assertThat(outcomes, hasSize(3));
        Set<String> tokens = new HashSet<>();
        for (MintOutcome outcome : outcomes) {
            tokens.add(outcome.token());
        }
        assertThat(tokens, hasSize(3));
    }

    @Test
    void aRefusedItemFailsOnlyItsOwnCallerWithTheSingleEndpointsMapping() throws Exception {
        KeycloakBatchCall call = batchCallForFake();
        String token = keycloak.signedToken();
        keycloak.scriptMint(200, "{\"results\":["
                + "{\"status\":403,\"error\":\"audience_not_allowed\",\"message\":\"aud a.example is not allowed\"},"
                + "{\"status\":400,\"error\":\"invalid_aud\",\"message\":\"bad aud\"},"
                + "{\"token\":\"" + token + "\"}]}");

        List<MintOutcome> outcomes = call.mint(threeRequests(), AnswerDeadline.after(BUDGET));

        MintException denied = assertThrows(MintException.class, outcomes.get(0)::token);
        assertThat(denied.kind(), is(Kind.DENIED));
        assertThat(denied.code(), is("audience_not_allowed"));
        assertThat(denied.getMessage(), is("aud a.example is not allowed"));
        MintException invalid = assertThrows(MintException.class, outcomes.get(1)::token);
        assertThat(invalid.kind(), is(Kind.INVALID_REQUEST));
        assertThat(invalid.code(), is("invalid_aud"));
        assertThat(outcomes.get(2).token(), is(token));
    }

    @Test
    void anUnusableItemFailsOnlyItsOwnCaller() throws Exception {
        KeycloakBatchCall call = batchCallForFake();
        keycloak.scriptMint(200, "{\"results\":[{\"token\":\"<html>\"},{\"status\":\"403\"},{\"token\":\"a.b.c\"}]}");

        List<MintOutcome> outcomes = call.mint(threeRequests(), AnswerDeadline.after(BUDGET));

        assertThat(assertThrows(MintException.class, outcomes.get(0)::token).kind(), is(Kind.UPSTREAM_ERROR));
        assertThat(assertThrows(MintException.class, outcomes.get(1)::token).kind(), is(Kind.UPSTREAM_ERROR));
        assertThat(outcomes.get(2).token(), is("a.b.c"));
    }

    @Test
    void anAnswerWithoutOneResultPerRequestFailsTheWholeBatch() throws Exception {
        KeycloakBatchCall call = batchCallForFake();
        String token = "{\"token\":\"" + keycloak.signedToken() + "\"}";
        for (String answer : List.of("{\"results\":[" + token + "," + token + "]}",
                "{\"results\":[" + token + "," + token + "," + token + "," + token + "]}",
                "{\"results\":[" + token + "," + token + ",\"x\"]}",
                "{\"results\":[" + token + "," + token + ",null]}",
                "{\"results\":{}}",
                "{}",
                "[]",
                "null",
                "")) {
            keycloak.scriptMint(200, answer);

            MintException e = assertThrows(MintException.class, () -> call.mint(threeRequests(), AnswerDeadline.after(BUDGET)));

            assertThat(answer, e.kind(), is(Kind.UPSTREAM_ERROR));
            assertThat(e.code(), is("keycloak_error"));
        }
    }

    @ParameterizedTest
    @CsvSource({"403, machine_revoked, DENIED", "400, invalid_request, INVALID_REQUEST"})
    void aWholeBatchRefusalMapsAsTheSingleEndpointsStatus(int status, String code, Kind kind) throws Exception {
        KeycloakBatchCall call = batchCallForFake();
        keycloak.scriptMint(status, "{\"error\":\"" + code + "\",\"message\":\"refused as a whole\"}");

        MintException e = assertThrows(MintException.class, () -> call.mint(threeRequests(), AnswerDeadline.after(BUDGET)));

        assertThat(e.kind(), is(kind));
        assertThat(e.code(), is(code));
        assertThat(e.getMessage(), is("refused as a whole"));
    }

    @Test
    void aRefusalWithoutAnErrorObjectGetsTheDefaultCode() throws Exception {
        KeycloakMinter minter = minterForFake();
        keycloak.scriptMint(403, "null");

        MintException e = assertThrows(MintException.class, () -> minter.mint(TokenRequest.DEFAULTS));

        assertThat(e.kind(), is(Kind.DENIED));
        assertThat(e.code(), is("forbidden"));
    }

    @Test
    void aServerErrorMeansUnavailable() throws Exception {
        KeycloakMinter minter = minterForFake();
        keycloak.scriptMint(500, "{\"error\":\"unknown_error\"}");

        assertThat(assertThrows(MintException.class, () -> minter.mint(TokenRequest.DEFAULTS)).kind(), is(Kind.UNAVAILABLE));
    }

    @Test
    void a401FromTheMintEndpointRenewsTheAssertionOnceAndRetries() throws Exception {
        KeycloakMinter minter = minterForFake();
        minter.mint(TokenRequest.DEFAULTS);
        keycloak.scriptMint(401, "{\"error\":\"invalid_token\",\"message\":\"expired\"}");

        String token = minter.mint(TokenRequest.DEFAULTS);

        assertThat(token.split("\\.").length, equalTo(3));
        assertThat(keycloak.distinctAssertions(), equalTo(2));
        assertThat(keycloak.mintCalls(), equalTo(3));
    }

    @Test
    void a401ForAFreshAssertionMeansTheMachinesKeyIsNoLongerTaken() throws Exception {
        KeycloakMinter minter = minterForFake();
        keycloak.scriptMint(401, "{\"error\":\"invalid_token\"}");
        keycloak.scriptMint(401, "{\"error\":\"invalid_token\",\"message\":\"signed by a key the machine no longer has\"}");

        MintException e = assertThrows(MintException.class, () -> minter.mint(TokenRequest.DEFAULTS));

        assertThat(e.kind(), equalTo(Kind.DENIED));
        assertThat(e.code(), equalTo("machine_revoked"));
        assertThat(keycloak.mintCalls(), equalTo(2));
    }

    @Test
    void a403PassesKeycloaksCodeAndMessageThrough() throws Exception {
        KeycloakMinter minter = minterForFake();
        keycloak.scriptMint(200, "{\"results\":[{\"status\":403,\"error\":\"audience_not_allowed\","
                + "\"message\":\"aud evil.example is not allowed\"}]}");

        MintException e = assertThrows(MintException.class, () -> minter.mint(TokenRequest.forAudience("evil.example")));

        assertThat(e.kind(), equalTo(Kind.DENIED));
        assertThat(e.code(), equalTo("audience_not_allowed"));
        assertThat(e.getMessage(), equalTo("aud evil.example is not allowed"));
    }

    @Test
    void a400IsTheCallersFault() throws Exception {
        KeycloakMinter minter = minterForFake();
        keycloak.scriptMint(200, "{\"results\":[{\"status\":400,\"error\":\"invalid_aud\",\"message\":\"bad aud\"}]}");

        MintException e = assertThrows(MintException.class, () -> minter.mint(TokenRequest.forAudience("x")));

        assertThat(e.kind(), equalTo(Kind.INVALID_REQUEST));
        assertThat(e.code(), equalTo("invalid_aud"));
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
        "whole call | 429 | {\"error\":\"rate_limited\",\"message\":\"over the limit; retry in 3 s.\",\"retry_after\":3}",
        "one item   | 200 | {\"results\":[{\"status\":429,\"error\":\"rate_limited\",\"message\":\"over the limit; retry in 3 s.\",\"retry_after\":3}]}"})
    void overTheRateLimitTheCallerIsToldWhenToRetryAndNothingIsRetried(String refused, int status, String answer) throws Exception {
        KeycloakMinter minter = minterForFake();
        keycloak.scriptMint(status, answer);

        MintException e = assertThrows(MintException.class, () -> minter.mint(TokenRequest.DEFAULTS));

        assertThat(e.kind(), equalTo(Kind.RATE_LIMITED));
        assertThat(e.code(), equalTo("rate_limited"));
        assertThat(e.getMessage(), equalTo("over the limit; retry in 3 s."));
        assertThat(e.retryAfterSeconds(), equalTo(3L));
        assertThat(keycloak.mintCalls(), equalTo(1));
    }

    @ParameterizedTest(name = "retry_after {0} -> {1}")
    @CsvSource({"'', 1", "0, 1", "-5, 1", "'\"7\"', 1", "7, 7", "3600, 3600", "999999, 3600"})
    void aRetryAfterIsAtLeastOneSecondAndAtMostAnHour(String raw, long expected) throws Exception {
        KeycloakMinter minter = minterForFake();
        keycloak.scriptMint(429, "{\"error\":\"rate_limited\"" + (raw.isEmpty() ? "" : ",\"retry_after\":" + raw) + "}");

        MintException e = assertThrows(MintException.class, () -> minter.mint(TokenRequest.DEFAULTS));

        assertThat(e.retryAfterSeconds(), equalTo(expected));
        assertThat(e.getMessage(), equalTo("This machine is over its org's mint rate limit"));
    }

    @Test
    void aRevokedMachinesRefusalReachesTheCaller() throws Exception {
        KeycloakMinter minter = minterForFake();
        keycloak.scriptMint(403, "{\"error\":\"machine_revoked\",\"message\":\"This machine has been revoked or disabled.\"}");

        MintException e = assertThrows(MintException.class, () -> minter.mint(TokenRequest.DEFAULTS));

        assertThat(e.kind(), equalTo(Kind.DENIED));
        assertThat(e.code(), equalTo("machine_revoked"));
        assertThat(keycloak.mintCalls(), equalTo(1));
    }

    @Test
    void refusedConnectionsFailFastAndTheClientRecoversWhenKeycloakIsBack() throws Exception {
        int port = freePort();
        URI url = URI.create("http://127.0.0.1:" + port);
        KeycloakMinter minter = minter(List.of(url), Clock.systemUTC());

        long started = System.nanoTime();
        MintException e = assertThrows(MintException.class, () -> minter.mint(TokenRequest.DEFAULTS));
        long millis = Duration.ofNanos(System.nanoTime() - started).toMillis();

        assertThat(e.kind(), equalTo(Kind.UNAVAILABLE));
        assertThat(e.code(), equalTo("keycloak_unavailable"));
        assertThat(millis, lessThan(2000L));

        keycloak = FakeKeycloak.start(ORG, MACHINE, port);
        keycloak.trustKey(key.toPublicJWK());
        assertThat(minter.mint(TokenRequest.DEFAULTS).split("\\.").length, equalTo(3));
    }

    @Test
    void aKeycloakThatAcceptsButNeverAnswersIsCutOffAtTheBudget() throws Exception {
        // The kernel completes the handshake into the backlog; nobody ever reads or answers.
        try (ServerSocket silent = new ServerSocket(0, 50, InetAddress.getLoopbackAddress())) {
            URI url = URI.create("http://127.0.0.1:" + silent.getLocalPort());
            KeycloakMinter minter = minter(List.of(url), Clock.systemUTC());

            long started = System.nanoTime();
            MintException e = assertThrows(MintException.class, () -> minter.mint(TokenRequest.DEFAULTS));
            long millis = Duration.ofNanos(System.nanoTime() - started).toMillis();

            assertThat(e.kind(), equalTo(Kind.UNAVAILABLE));
            assertThat(millis, lessThan(BUDGET.toMillis() + 500));
        }
    }

    @Test
    void failsOverToTheNextUrlAndSticksWithIt() throws Exception {
        keycloak = FakeKeycloak.start(ORG, MACHINE);
        keycloak.trustKey(key.toPublicJWK());
        URI dead = URI.create("http://127.0.0.1:" + freePort());
        KeycloakMinter minter = minter(List.of(dead, keycloak.baseUrl()), Clock.systemUTC());

        assertThat("before any call, the first URL", transport.currentUrl(), equalTo(dead));

        minter.mint(TokenRequest.DEFAULTS);
        minter.mint(TokenRequest.DEFAULTS);

        assertThat(keycloak.mintCalls(), equalTo(2));
        assertThat(keycloak.badAssertions(), equalTo(0));
        assertThat(transport.currentUrl(), equalTo(keycloak.baseUrl()));
        assertThat("the dead node was tried once", keycloakCalls("connection_failed"), endsWith(" 1"));
        assertThat(keycloakCalls("ok"), endsWith(" 2"));
    }

    @Test
    void aProxyAnswering503CountsAsANodeDown() throws Exception {
        keycloak = FakeKeycloak.start(ORG, MACHINE);
        keycloak.trustKey(key.toPublicJWK());
        KeycloakMinter minter = minter(List.of(keycloak.baseUrl()), Clock.systemUTC());
        keycloak.scriptMint(503, "<html>upstream down</html>");

        assertThat(assertThrows(MintException.class, () -> minter.mint(TokenRequest.DEFAULTS)).kind(),
                equalTo(Kind.UNAVAILABLE));
        assertThat(minter.mint(TokenRequest.DEFAULTS).split("\\.").length, equalTo(3));
        assertThat(keycloakCalls("server_error"), endsWith(" 1"));
        assertThat(keycloakCalls("ok"), endsWith(" 1"));
    }

    @Test
    void theHeldAssertionsExpiryIsKnownFromTheFirstMint() throws Exception {
        MutableClock clock = new MutableClock(Instant.now());
        KeycloakMinter minter = minterForFake(clock);
        assertThat(assertion.expiresAt(), equalTo(Optional.empty()));

        minter.mint(TokenRequest.DEFAULTS);
        Instant first = clock.instant().plusSeconds(300).truncatedTo(ChronoUnit.SECONDS);
        assertThat(assertion.expiresAt(), equalTo(Optional.of(first)));
        clock.advance(Duration.ofSeconds(201));
        assertThat("held until a mint needs a new one", assertion.expiresAt(), equalTo(Optional.of(first)));

        minter.mint(TokenRequest.DEFAULTS);
        assertThat(assertion.expiresAt(),
                equalTo(Optional.of(clock.instant().plusSeconds(300).truncatedTo(ChronoUnit.SECONDS))));
    }

    @Test
    void theAssertionIsRenewedWhenTwoThirdsOfItsLifeHavePassed() throws Exception {
        MutableClock clock = new MutableClock(Instant.now());
        KeycloakMinter minter = minterForFake(clock);

        minter.mint(TokenRequest.DEFAULTS);
        clock.advance(Duration.ofSeconds(199));
        minter.mint(TokenRequest.DEFAULTS);
        assertThat("a 300 s assertion is reused at 199 s", keycloak.distinctAssertions(), equalTo(1));

        clock.advance(Duration.ofSeconds(2));
        minter.mint(TokenRequest.DEFAULTS);
        assertThat(keycloak.distinctAssertions(), equalTo(2));
    }

    @Test
    void aMachineMintingEveryNineMinutesSignsAFreshAssertionEachTime() throws Exception {
        MutableClock clock = new MutableClock(Instant.now());
        KeycloakMinter minter = minterForFake(clock);

        for (int mint = 0; mint < 3; mint++) {
            minter.mint(TokenRequest.DEFAULTS);
            clock.advance(Duration.ofMinutes(9));
        }

        assertThat(keycloak.distinctAssertions(), equalTo(3));
        assertThat(keycloak.badAssertions(), equalTo(0));
    }

    @Test
    void aNonJwtAnswerIsNotPassedOn() throws Exception {
        KeycloakMinter minter = minterForFake();
        keycloak.scriptMint(200, "<html>login page</html>");

        MintException e = assertThrows(MintException.class, () -> minter.mint(TokenRequest.DEFAULTS));

        assertThat(e.kind(), is(Kind.UPSTREAM_ERROR));
    }
}
