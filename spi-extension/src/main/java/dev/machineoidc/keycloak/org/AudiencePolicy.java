package dev.machineoidc.keycloak.org;

import java.util.List;

/**
 * The audiences an org lets its machines ask for: glob patterns where {@code *} matches any run of characters
 * but {@code /}, so {@code https://*.example.com} cannot be satisfied by {@code https://evil.net/x.example.com}.
 * The lone pattern {@code *} (the default) allows any audience; an empty list allows none.
 */
public record AudiencePolicy(List<String> patterns) {

    public static final AudiencePolicy ANY = new AudiencePolicy(List.of("*"));
    public static final AudiencePolicy NONE = new AudiencePolicy(List.of());
    public static final int MAX_PATTERNS = 100;

    public AudiencePolicy {
        patterns = List.copyOf(patterns);
        if (patterns.size() > MAX_PATTERNS) {
            throw new IllegalArgumentException("the audience policy allows at most " + MAX_PATTERNS + " patterns");
        }
        for (String pattern : patterns) {
            if (!Audiences.isValid(pattern)) {
                throw new IllegalArgumentException("audience pattern '" + pattern + "' must be 1-256 printable characters");
            }
        }
    }

    public boolean allows(String audience) {
        return patterns.stream().anyMatch(p -> "*".equals(p) || new AudienceGlob(p).matches(audience));
    }
}
