package dev.machineoidc.keycloak.org;

import java.util.Arrays;

/**
 * One audience pattern: {@code *} matches any run of characters but {@code /}, everything else itself. Matched by
 * stepping the set of pattern positions one input character at a time, so the work is at most pattern length times
 * audience length (256 × 256), whatever the pattern: a regex would backtrack exponentially on patterns with many
 * {@code *} that a workload's audience almost matches.
 */
final class AudienceGlob {

    private final String pattern;

    AudienceGlob(String pattern) {
        this.pattern = pattern;
    }

    boolean matches(String audience) {
        int length = pattern.length();
        boolean[] current = new boolean[length + 1];
        boolean[] next = new boolean[length + 1];
        current[0] = true;
        closeOverStars(current);
        for (int i = 0; i < audience.length(); i++) {
            char c = audience.charAt(i);
            Arrays.fill(next, false);
            boolean any = false;
            for (int position = 0; position < length; position++) {
                if (!current[position]) {
                    continue;
                }
                char expected = pattern.charAt(position);
                if (expected == '*') {
                    if (c != '/') {
                        next[position] = true;
                        any = true;
                    }
                } else if (expected == c) {
                    next[position + 1] = true;
                    any = true;
                }
            }
            if (!any) {
                return false;
            }
            closeOverStars(next);
            boolean[] swap = current;
            current = next;
            next = swap;
        }
        return current[length];
    }

    /** A position before a {@code *} also stands after it: the star may match nothing. */
    private void closeOverStars(boolean[] positions) {
        for (int position = 0; position < pattern.length(); position++) {
            if (positions[position] && pattern.charAt(position) == '*') {
                positions[position + 1] = true;
            }
        }
    }
}
