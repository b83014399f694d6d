package dev.machineoidc.bridge.mint;

/**
 * The contract's rule for an audience: 1 to 256 printable ASCII characters. The bridge's only copy of it; the
 * extension has its own, and both are tested against docs/contract/shared-rules.json.
 */
public final class Audience {

    public static final int MAX_LENGTH = 256;

    private Audience() {
    }

    public static boolean isValid(String audience) {
        if (audience == null || audience.isEmpty() || audience.length() > MAX_LENGTH) {
            return false;
        }
        return audience.chars().allMatch(c -> c >= 0x20 && c <= 0x7e);
    }

    static void requireValid(String audience) {
        if (!isValid(audience)) {
            throw new IllegalArgumentException("audience must be 1-" + MAX_LENGTH + " printable ASCII characters");
        }
    }
}
