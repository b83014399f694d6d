package dev.machineoidc.bridge.identity;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasSize;
import static org.hamcrest.Matchers.is;
import static org.hamcrest.Matchers.not;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class EnrollerTest {

    private static final String MACHINE = "148e21ea7e46e8";

    @TempDir
    Path dir;

    private final FakeRegistrar registrar = new FakeRegistrar();

    private Enroller enroller() {
        return new Enroller(new StateDir(dir.resolve("state")), registrar, MACHINE);
    }

    @Test
    void withoutTokenAndWithoutStateItFailsClearly() {
        EnrollmentException e = assertThrows(EnrollmentException.class, () -> enroller().establish(Optional.empty()));

        assertThat(e.getMessage(), containsString("not enrolled"));
        assertThat(registrar.tokens, hasSize(0));
    }

    @Test
    void enrollsWithANewTokenSendingOnlyThePublicKey() throws Exception {
        MachineIdentity identity = enroller().establish(Optional.of("token-1"));

        assertThat(registrar.tokens, equalTo(java.util.List.of("token-1")));
        assertThat(registrar.keys.get(0).isPrivate(), is(false));
        assertThat(registrar.keys.get(0).getKeyID(), equalTo(identity.key().getKeyID()));
        assertThat(identity.key().getKeyID(), equalTo(identity.key().computeThumbprint().toString()));
        assertThat(identity.registration().clientId(), equalTo("machine-148e21ea7e46e8"));
    }

    @Test
    void keyAndEnrollmentFilesAreOwnerOnly() throws Exception {
        enroller().establish(Optional.of("token-1"));
        StateDir state = new StateDir(dir.resolve("state"));

        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(state.keyFile())), equalTo("rw-------"));
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(state.enrollmentFile())), equalTo("rw-------"));
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(dir.resolve("state"))), equalTo("rwx------"));
    }

    @Test
    void theEnrollmentTokenIsStoredOnlyAsAHash() throws Exception {
        enroller().establish(Optional.of("token-1"));

        String stored = Files.readString(new StateDir(dir.resolve("state")).enrollmentFile(), StandardCharsets.UTF_8);
        assertThat(stored, not(containsString("token-1")));
        assertThat(stored, containsString(Enroller.sha256Hex("token-1")));
    }

    @Test
    void restartWithTheSameTokenReusesTheStoredIdentity() throws Exception {
        MachineIdentity first = enroller().establish(Optional.of("token-1"));

        MachineIdentity again = enroller().establish(Optional.of("token-1"));

        assertThat("no second enrollment", registrar.tokens, hasSize(1));
        assertThat(again.key(), equalTo(first.key()));
    }

    @Test
    void restartWithoutTokenUsesTheStoredIdentity() throws Exception {
        MachineIdentity first = enroller().establish(Optional.of("token-1"));

        assertThat(enroller().establish(Optional.empty()).key(), equalTo(first.key()));
        assertThat(registrar.tokens, hasSize(1));
    }

    @Test
    void aDifferentTokenMeansANewKey() throws Exception {
        MachineIdentity first = enroller().establish(Optional.of("token-1"));

        MachineIdentity second = enroller().establish(Optional.of("token-2"));

        assertThat(registrar.tokens, equalTo(java.util.List.of("token-1", "token-2")));
        assertThat(second.key().getKeyID(), not(equalTo(first.key().getKeyID())));
        assertThat(enroller().establish(Optional.empty()).key(), equalTo(second.key()));
    }

    @Test
    void aRefusedNewTokenLeavesTheOldIdentityInPlace() throws Exception {
        MachineIdentity first = enroller().establish(Optional.of("token-1"));
        registrar.refuse = true;

        assertThrows(EnrollmentException.class, () -> enroller().establish(Optional.of("token-2")));

        assertThat(enroller().establish(Optional.empty()).key(), equalTo(first.key()));
    }

    @Test
    void anUnusableStateDirectoryFailsBeforeTheTokenIsSpent() throws Exception {
        Path notADirectory = Files.writeString(dir.resolve("file"), "x");

        assertThrows(EnrollmentException.class,
                () -> new Enroller(new StateDir(notADirectory), registrar, MACHINE).establish(Optional.of("token-1")));

        assertThat(registrar.tokens, hasSize(0));
    }

    @Test
    void stateOfAnotherMachineIsNotUsed() throws Exception {
        enroller().establish(Optional.of("token-1"));

        EnrollmentException e = assertThrows(EnrollmentException.class,
                () -> new Enroller(new StateDir(dir.resolve("state")), registrar, "00000000000000").establish(Optional.empty()));

        assertThat(e.getMessage(), containsString("belongs to machine " + MACHINE));
    }

    @Test
    void brokenStateIsReportedWithoutQuotingItAndReplacedByANewEnrollment() throws Exception {
        enroller().establish(Optional.of("token-1"));
        StateDir state = new StateDir(dir.resolve("state"));
        Files.writeString(state.keyFile(), "{\"kty\":\"EC\",\"d\":\"secret-material\"");

        EnrollmentException e = assertThrows(EnrollmentException.class, () -> enroller().establish(Optional.empty()));
        assertThat(e.getMessage(), not(containsString("secret-material")));

        MachineIdentity replaced = enroller().establish(Optional.of("token-2"));
        assertThat(enroller().establish(Optional.empty()).key(), equalTo(replaced.key()));
    }

    @Test
    void theStoredEnrollmentHoldsNoKeycloakEndpoint() throws Exception {
        enroller().establish(Optional.of("token-1"));

        String stored = Files.readString(new StateDir(dir.resolve("state")).enrollmentFile(), StandardCharsets.UTF_8);
        assertThat(stored, not(containsString("endpoint")));
    }

    @Test
    void stateWrittenByAVersionThatStoredKeycloaksEndpointsStillLoads() throws Exception {
        MachineIdentity first = enroller().establish(Optional.of("token-1"));
        StateDir state = new StateDir(dir.resolve("state"));
        Files.writeString(state.enrollmentFile(), "{\"machine_id\":\"" + MACHINE + "\",\"client_id\":\"machine-" + MACHINE
                + "\",\"token_endpoint\":\"https://kc.example/realms/acme/protocol/openid-connect/token\""
                + ",\"mint_endpoint\":\"https://kc.example/realms/acme/machine-oidc/mint\""
                + ",\"kid\":\"" + first.key().getKeyID() + "\",\"enrollment_token_sha256\":\"" + Enroller.sha256Hex("token-1") + "\"}");

        MachineIdentity loaded = enroller().establish(Optional.of("token-1"));

        assertThat("no second enrollment", registrar.tokens, hasSize(1));
        assertThat(loaded.key(), equalTo(first.key()));
        assertThat(loaded.registration().clientId(), equalTo("machine-" + MACHINE));
    }

    @Test
    void identityToStringHidesTheKey() throws Exception {
        MachineIdentity identity = enroller().establish(Optional.of("token-1"));

        assertThat(identity.toString(), not(containsString(identity.key().getD().toString())));
    }
}
