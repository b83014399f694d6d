package dev.machineoidc.keycloak.keys;

import java.util.Locale;

/** Where an org's RS256 signing key is in its rotation. All three are published in the org's JWKS. */
public enum KeyState {
    /** Published, not signing yet: verifiers' cached copies of the JWKS pick it up before it signs. */
    NEXT,
    /** Signing. */
    ACTIVE,
    /** No longer signing; published until no unexpired token can carry it. */
    PREVIOUS;

    public String json() {
        return name().toLowerCase(Locale.ROOT);
    }
}
