package dev.machineoidc.bridge.mint;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.is;

import dev.machineoidc.bridge.testing.SharedRules;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** The bridge's one audience rule against the table the extension's rule is tested against too. */
class AudienceTest {

    @ParameterizedTest
    @MethodSource("validAudiences")
    void acceptsWhatTheSharedTableAccepts(String audience) {
        assertThat(Audience.isValid(audience), is(true));
    }

    @ParameterizedTest
    @MethodSource("invalidAudiences")
    void refusesWhatTheSharedTableRefuses(String audience) {
        assertThat(Audience.isValid(audience), is(false));
    }

    static Iterable<String> validAudiences() {
        return SharedRules.valid("audience");
    }

    static Iterable<String> invalidAudiences() {
        return SharedRules.invalid("audience");
    }
}
