package dev.machineoidc.bench.fleet;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.machineoidc.bridge.identity.MachineIdentity;
import dev.machineoidc.bridge.identity.MachineKeys;
import dev.machineoidc.bridge.identity.Registration;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class CadenceCheckTest {

    private static final MachineIdentity MACHINE = new MachineIdentity(MachineKeys.generate(),
            new Registration("machine:fleet-machine-00001@fleet-app"));

    @Test
    void theBridgeSignsANewProofForEachMintAtTheTokenFilesCadence() {
        assertDoesNotThrow(() -> CadenceCheck.requireNewProofAfter(CadenceCheck.PERIOD, "fleet-org", MACHINE));
    }

    @Test
    void aProofStillReusedAfterThePeriodStopsTheFleet() {
        IllegalStateException reused = assertThrows(IllegalStateException.class,
                () -> CadenceCheck.requireNewProofAfter(Duration.ofMinutes(1), "fleet-org", MACHINE));
        assertThat(reused.getMessage(), containsString("reuses its mint assertion across 60 s"));
    }
}
