package dev.machineoidc.keycloak.keys;

import dev.machineoidc.keycloak.org.OrgSettings;
import dev.machineoidc.keycloak.refusal.Refusal;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.greaterThanOrEqualTo;
import static org.hamcrest.Matchers.is;
import static org.junit.jupiter.api.Assertions.assertThrows;

/** The phase rules against a clock: when each phase may run, and what a refusal tells the caller. */
class RotationRulesTest {

    private static final Instant T0 = Instant.parse("2026-11-30T02:00:00Z");
    private static final OrgSettings SETTINGS = OrgSettings.DEFAULTS.withTokenLifetime(600).withJwksCacheSeconds(300);
    private static final RotationRules RULES = new RotationRules(SETTINGS, Optional.empty(), Optional.empty());

    private static RotationKey active(String kid) {
        return new RotationKey("c-" + kid, kid, KeyState.ACTIVE, T0.minusSeconds(86_400), null, null);
    }

    private static RotationKey next(String kid, Instant activateAfter) {
        return new RotationKey("c-" + kid, kid, KeyState.NEXT, T0, activateAfter, null);
    }

    private static RotationKey previous(String kid, Instant retireAfter) {
        return new RotationKey("c-" + kid, kid, KeyState.PREVIOUS, T0.minusSeconds(86_400), null, retireAfter);
    }

    private static Refusal refused(Executable phase) {
        return assertThrows(Refusal.class, phase);
    }

    private static void assertRefusal(Refusal refusal, String code, Instant allowedAt, long retryAfter) {
        assertThat(refusal.kind().status(), is(409));
        assertThat(refusal.code(), is(code));
        assertThat(refusal.json().get("allowed_at"), is(allowedAt.toString()));
        assertThat(refusal.json().get("retry_after"), is(retryAfter));
        assertThat(refusal.retryAfterSeconds(), is(OptionalLong.of(retryAfter)));
        assertThat(refusal.getMessage(), containsString(allowedAt.toString()));
    }

    @Test
    void aNextKeySignsOnceEveryCopyOfTheJwksWithoutItHasExpired() {
        assertThat(RULES.activateAfter(T0), is(T0.plusSeconds(300).plus(RotationRules.PROPAGATION)));
        assertThat(new RotationRules(SETTINGS.withJwksCacheSeconds(0), Optional.empty(), Optional.empty()).activateAfter(T0),
                is(T0.plus(RotationRules.PROPAGATION)));
    }

    @Test
    void aCacheTimeLoweredBeforePrepareStillCountsForCopiesServedUnderTheOldOne() {
        Instant loweredAt = T0.minusSeconds(60);
        RotationRules lowered = new RotationRules(SETTINGS.withJwksCacheSeconds(0), Optional.empty(),
                Optional.of(loweredAt.plusSeconds(86_400)));

        assertThat(lowered.activateAfter(T0), is(loweredAt.plusSeconds(86_400).plus(RotationRules.PROPAGATION)));
    }

    @Test
    void aPreviousKeyStaysUntilItsLastTokenExpiredPlusTheVerifiersLeeway() {
        Duration expected = Duration.ofSeconds(600).plus(RotationRules.PROPAGATION).plus(RotationRules.VERIFIER_EXP_LEEWAY);

        assertThat(RULES.retireAfter(T0), is(T0.plus(expected)));
        assertThat("Vault accepts 150 s past exp", RotationRules.VERIFIER_EXP_LEEWAY, is(Duration.ofSeconds(150)));
    }

    @Test
    void aLifetimeLoweredJustBeforeActivationDoesNotShortenTheWait() {
        Instant loweredAt = T0.minusSeconds(10);
        RotationRules lowered = new RotationRules(SETTINGS.withTokenLifetime(60),
                Optional.of(loweredAt.plusSeconds(3600)), Optional.empty());

        assertThat("a token minted with 3600 s just before the change", lowered.retireAfter(T0),
                is(loweredAt.plusSeconds(3600).plus(RotationRules.VERIFIER_EXP_LEEWAY)));
        assertThat("long past the change, the lifetime now decides",
                lowered.retireAfter(T0.plusSeconds(7200)),
                is(T0.plusSeconds(7200 + 60).plus(RotationRules.PROPAGATION).plus(RotationRules.VERIFIER_EXP_LEEWAY)));
    }

    @Test
    void everyTokenTheOldKeyMayHaveSignedIsPastItsLeewayWhenRetireIsAllowed() {
        Instant deactivatedAt = T0;
        Instant retireAfter = RULES.retireAfter(deactivatedAt);
        for (long mintedBefore = 0; mintedBefore <= 700; mintedBefore += 50) {
            Instant lastMint = deactivatedAt.plus(RotationRules.PROPAGATION).minusSeconds(mintedBefore);
            Instant acceptedUntil = lastMint.plusSeconds(SETTINGS.tokenLifetimeSeconds()).plus(RotationRules.VERIFIER_EXP_LEEWAY);
            assertThat(retireAfter, greaterThanOrEqualTo(acceptedUntil));
        }
    }

    @Test
    void prepareRefusesASecondNextKeyAndSaysWhatComesFirst() {
        Refusal refusal = refused(() -> RULES.checkPrepare(List.of(active("a"), next("b", T0))));

        assertThat(refusal.kind().status(), is(409));
        assertThat(refusal.code(), is("next_key_exists"));
        assertThat(refusal.json().get("allowed_after"), is("activate"));
        assertThat(refusal.getMessage(), is("Key b is already the next key; activate it before preparing another."));
        RULES.checkPrepare(List.of(active("a"), previous("z", T0)));
    }

    @Test
    void activateWaitsForTheNextKeysTimeAndThenPicksIt() {
        Clock clock = Clock.fixed(T0, ZoneOffset.UTC);
        Instant allowedAt = RULES.activateAfter(clock.instant());
        List<RotationKey> keys = List.of(active("a"), next("b", allowedAt));

        Refusal early = refused(() -> RULES.checkActivate(keys, clock.instant()));
        assertRefusal(early, "next_key_not_yet_cached", allowedAt, 305);
        assertThat(early.getMessage(), containsString("jwks_cache_seconds 300"));
        assertRefusal(refused(() -> RULES.checkActivate(keys, allowedAt.minusMillis(1))), "next_key_not_yet_cached", allowedAt, 1);

        assertThat(RULES.checkActivate(keys, allowedAt).kid(), is("b"));
    }

    @Test
    void activateWithoutANextKeySaysToPrepareOne() {
        Refusal refusal = refused(() -> RULES.checkActivate(List.of(active("a")), T0));

        assertThat(refusal.code(), is("no_next_key"));
        assertThat(refusal.json(), is(Map.of("error", "no_next_key", "message",
                "There is no next key to activate; prepare one first.", "allowed_after", "prepare")));
    }

    @Test
    void retireWaitsForTheLatestPreviousKeyAndThenTakesThemAll() {
        Instant first = T0.plusSeconds(100);
        Instant second = T0.plusSeconds(900);
        List<RotationKey> keys = List.of(active("a"), previous("b", first), previous("c", second));

        Refusal refusal = refused(() -> RULES.checkRetire(keys, first));
        assertRefusal(refusal, "previous_key_in_use", second, 800);
        assertThat(refusal.getMessage(), containsString("[b, c]"));

        assertThat(RULES.checkRetire(keys, second).stream().map(RotationKey::kid).toList(), is(List.of("b", "c")));
    }

    @Test
    void retireLeavesKeysMadePassiveOutsideTheRotationAlone() {
        List<RotationKey> keys = List.of(active("a"), previous("by-hand", null));

        Refusal refusal = refused(() -> RULES.checkRetire(keys, T0));
        assertThat(refusal.code(), is("no_previous_key"));
        assertThat(refusal.json().get("allowed_after"), is("activate"));
        assertThat(refusal.getMessage(), containsString("Keys tab are not the rotation's to remove"));

        List<RotationKey> withManaged = List.of(active("a"), previous("by-hand", null), previous("b", T0));
        assertThat(RULES.checkRetire(withManaged, T0).stream().map(RotationKey::kid).toList(), is(List.of("b")));
    }

    @Test
    void aFullRotationOnAClock() {
        Instant prepared = T0;
        RotationKey next = next("new", RULES.activateAfter(prepared));
        RULES.checkPrepare(List.of(active("old")));

        Instant activated = next.activateAfter();
        assertThrows(Refusal.class, () -> RULES.checkActivate(List.of(active("old"), next), activated.minusSeconds(1)));
        RULES.checkActivate(List.of(active("old"), next), activated);

        RotationKey old = previous("old", RULES.retireAfter(activated));
        List<RotationKey> afterActivation = List.of(active("new"), old);
        assertThrows(Refusal.class, () -> RULES.checkRetire(afterActivation, activated.plusSeconds(600)));
        assertThat(RULES.checkRetire(afterActivation, activated.plusSeconds(600 + 5 + 150)), is(List.of(old)));
    }
}
