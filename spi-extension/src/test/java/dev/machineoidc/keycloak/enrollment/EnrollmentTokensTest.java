package dev.machineoidc.keycloak.enrollment;

import dev.machineoidc.keycloak.testing.AttributeModels;
import dev.machineoidc.keycloak.testing.FakeSingleUseStore;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.NullAndEmptySource;
import org.junit.jupiter.params.provider.ValueSource;
import org.keycloak.models.ClientModel;

import java.time.Clock;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.is;
import static org.hamcrest.Matchers.matchesPattern;
import static org.hamcrest.Matchers.not;
import static org.hamcrest.Matchers.nullValue;

class EnrollmentTokensTest {

    private static final int LIFETIME = 600;
    private static final Instant NOW = Instant.parse("2026-01-01T00:00:00Z");

    /** A clock the test moves by hand. */
    static final class MovableClock extends Clock {
        private Instant now;

        MovableClock(Instant now) {
            this.now = now;
        }

        void advanceSeconds(long seconds) {
            now = now.plusSeconds(seconds);
        }

        @Override
        public ZoneId getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(ZoneId zone) {
            return this;
        }

        @Override
        public Instant instant() {
            return now;
        }
    }

    /** A client that only has an id and attributes. */
    static ClientModel client(String id, Map<String, String> attributes) {
        return AttributeModels.of(ClientModel.class, id, attributes);
    }

    private MovableClock clock;
    private FakeSingleUseStore store;
    private EnrollmentTokens tokens;
    private Map<String, String> attributes;
    private ClientModel machine;

    @BeforeEach
    void setUp() {
        clock = new MovableClock(NOW);
        store = new FakeSingleUseStore();
        tokens = new EnrollmentTokens(store, clock);
        attributes = new HashMap<>();
        machine = client("client-uuid-1", attributes);
    }

    @Test
    void issuedTokenIsConsumedExactlyOnce() {
        EnrollmentTokens.Issued issued = tokens.issue(machine, LIFETIME);
        assertThat(issued.expiresAt(), is(NOW.getEpochSecond() + LIFETIME));
        assertThat(tokens.consume(machine, issued.token()), is(true));
        assertThat(tokens.consume(machine, issued.token()), is(false));
        assertThat(attributes.get(EnrollmentTokens.HASH), is(nullValue()));
        assertThat(attributes.get(EnrollmentTokens.EXPIRES_AT), is(nullValue()));
        assertThat(store.entries.isEmpty(), is(true));
    }

    @Test
    void tokensAreRandomUrlSafeAndOnlyTheirHashIsStored() {
        Set<String> seen = new HashSet<>();
        for (int i = 0; i < 200; i++) {
            String token = tokens.issue(machine, LIFETIME).token();
            assertThat(token, matchesPattern("[A-Za-z0-9_-]{43}"));
            assertThat(seen.add(token), is(true));
            assertThat(attributes.get(EnrollmentTokens.HASH), is(EnrollmentTokens.hash(token)));
            assertThat(attributes.values().stream().anyMatch(v -> v.contains(token)), is(false));
            assertThat(store.entries.keySet().stream().anyMatch(k -> k.contains(token)), is(false));
        }
    }

    @Test
    void singleUseEntryLivesAsLongAsTheTokenAndNamesTheClient() {
        String token = tokens.issue(machine, 123).token();
        String key = store.entries.keySet().stream().filter(k -> k.contains(EnrollmentTokens.hash(token)))
                .findFirst().orElseThrow();
        assertThat(store.lifespans.get(key), is(123L));
        assertThat(store.entries.get(key).get("client"), is("client-uuid-1"));
        assertThat(attributes.get(EnrollmentTokens.EXPIRES_AT), is(Long.toString(NOW.getEpochSecond() + 123)));
    }

    @Test
    void expiredTokenIsRefused() {
        String token = tokens.issue(machine, LIFETIME).token();
        clock.advanceSeconds(LIFETIME);
        assertThat(tokens.consume(machine, token), is(false));
    }

    @Test
    void tokenIsUsableUntilItsLastSecond() {
        String token = tokens.issue(machine, LIFETIME).token();
        clock.advanceSeconds(LIFETIME - 1);
        assertThat(tokens.consume(machine, token), is(true));
    }

    @Test
    void longExpiredTokenIsRefused() {
        String token = tokens.issue(machine, LIFETIME).token();
        clock.advanceSeconds(86_400);
        assertThat(tokens.consume(machine, token), is(false));
    }

    @Test
    void newerTokenSupersedesTheOlder() {
        String older = tokens.issue(machine, LIFETIME).token();
        String newer = tokens.issue(machine, LIFETIME).token();
        assertThat(tokens.consume(machine, older), is(false));
        assertThat(tokens.consume(machine, newer), is(true));
        assertThat(tokens.consume(machine, older), is(false));
    }

    @Test
    void wrongTokenIsRefusedAndDoesNotBurnTheRealOne() {
        String token = tokens.issue(machine, LIFETIME).token();
        assertThat(tokens.consume(machine, token + "x"), is(false));
        assertThat(tokens.consume(machine, token.substring(1)), is(false));
        String oneCharChanged = (token.charAt(0) == 'A' ? 'B' : 'A') + token.substring(1);
        assertThat(tokens.consume(machine, oneCharChanged), is(false));
        assertThat(tokens.consume(machine, EnrollmentTokens.hash(token)), is(false));
        assertThat(tokens.consume(machine, token), is(true));
    }

    @ParameterizedTest
    @NullAndEmptySource
    @ValueSource(strings = {" "})
    void blankTokensAreRefused(String token) {
        tokens.issue(machine, LIFETIME);
        assertThat(tokens.consume(machine, token), is(false));
    }

    @Test
    void overlongTokenIsRefused() {
        tokens.issue(machine, LIFETIME);
        assertThat(tokens.consume(machine, "a".repeat(257)), is(false));
    }

    @Test
    void tokenOfAMachineWithoutOneIsRefused() {
        assertThat(tokens.consume(machine, "anything"), is(false));
    }

    @Test
    void tokenForAnotherClientIsRefused() {
        Map<String, String> otherAttributes = new HashMap<>();
        ClientModel other = client("client-uuid-2", otherAttributes);
        String forMachine = tokens.issue(machine, LIFETIME).token();
        String forOther = tokens.issue(other, LIFETIME).token();
        assertThat(tokens.consume(other, forMachine), is(false));
        assertThat(tokens.consume(machine, forOther), is(false));
        // neither attempt burnt the rightful owner's token
        assertThat(tokens.consume(machine, forMachine), is(true));
        assertThat(tokens.consume(other, forOther), is(true));
    }

    @Test
    void copiedAttributesOnAnotherClientDoNotMakeTheTokenItsOwn() {
        String token = tokens.issue(machine, LIFETIME).token();
        ClientModel impostor = client("client-uuid-2", new HashMap<>(attributes));
        assertThat(tokens.consume(impostor, token), is(false));
    }

    @Test
    void twoNodesRacingWithStaleAttributesConsumeOnce() {
        String token = tokens.issue(machine, LIFETIME).token();
        // a second node has a cached copy of the client with the same attributes, and its own EnrollmentTokens
        ClientModel cachedOnNode2 = client("client-uuid-1", new HashMap<>(attributes));
        EnrollmentTokens node2 = new EnrollmentTokens(store, clock);
        boolean first = tokens.consume(machine, token);
        boolean second = node2.consume(cachedOnNode2, token);
        assertThat(first, is(true));
        assertThat(second, is(false));
    }

    @Test
    void hashIsSha256Hex() {
        assertThat(EnrollmentTokens.hash("abc"),
                is("ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"));
        assertThat(EnrollmentTokens.hash("abc"), not(containsString("abc")));
    }
}
