package dev.machineoidc.bench.fleet;

import dev.machineoidc.bridge.identity.MachineIdentity;
import dev.machineoidc.bridge.keycloak.MintAssertion;
import dev.machineoidc.testing.MutableClock;
import java.time.Duration;
import java.time.Instant;

/**
 * Whether a bridge minting once per token-file period still holds a proof it can reuse, asked of the bridge's own
 * {@link MintAssertion} on a {@link MutableClock} moved on by one period between two mints. The fleet's machines
 * rely on the answer being no: a simulated clock cannot drive their mints themselves, because the proof's
 * {@code iat} and {@code exp} come from the same clock and Keycloak accepts only an {@code iat} of its last
 * five minutes, where nine minutes a mint would run hours ahead within one window.
 */
final class CadenceCheck {

    /** The token file is rewritten at 90 % of a 10-minute token's life. */
    static final Duration PERIOD = Duration.ofMinutes(9);

    private CadenceCheck() {
    }

    /** @throws IllegalStateException when the bridge would reuse its proof across {@code period} */
    static void requireNewProofAfter(Duration period, String org, MachineIdentity identity) {
        MutableClock clock = new MutableClock(Instant.now());
        MintAssertion assertion = new MintAssertion(org, identity, clock);
        String first = assertion.current();
        clock.advance(period);
        if (assertion.current().equals(first)) {
            throw new IllegalStateException("the bridge reuses its mint assertion across " + period.toSeconds()
                    + " s: the fleet, which signs a new one per mint, no longer measures what a fleet does");
        }
    }
}
