package dev.machineoidc.bridge.identity;

import java.util.Objects;

/**
 * A completed enrollment as kept in the state directory.
 *
 * @param machineId the machine this state belongs to
 * @param enrollmentTokenSha256 hex SHA-256 of the enrollment token that was consumed, so a restart with
 *     the same token still in the environment does not try to enroll again
 */
public record StoredEnrollment(String machineId, MachineIdentity identity, String enrollmentTokenSha256) {

    public StoredEnrollment {
        Objects.requireNonNull(machineId, "machineId");
        Objects.requireNonNull(identity, "identity");
        Objects.requireNonNull(enrollmentTokenSha256, "enrollmentTokenSha256");
    }
}
