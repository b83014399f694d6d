package dev.machineoidc.keycloak.keys;

import java.time.Instant;

/**
 * One of an org's RS256 signing keys as the rotation sees it.
 *
 * @param componentId   the Keycloak key provider component that holds it
 * @param createdAt     when it was made; null when neither the rotation nor its certificate says
 * @param activateAfter for a {@link KeyState#NEXT} key: from when it may sign
 * @param retireAfter   for a {@link KeyState#PREVIOUS} key: from when no token it signed can be unexpired; null for a
 *                      key made passive outside the rotation (Keycloak's Keys tab), which the rotation leaves alone
 */
public record RotationKey(String componentId, String kid, KeyState state, Instant createdAt, Instant activateAfter,
                          Instant retireAfter) {
}
