package dev.machineoidc.keycloak.org;

import java.util.List;

/**
 * The audiences an org lets its machines ask for: glob patterns where {@code *} matches any run of characters
 * but {@code /}, so {@code https://*.example.com} cannot be satisfied by {@code https://evil.net/x.example.com}.
 * The lone pattern {@code *} (the default) allows any audience; an empty list allows none. The patterns are compiled
 * once, when the policy is made: the mint path keeps the org's policy for as long as Keycloak caches the realm.
 */
public final class AudiencePolicy {

    public static final AudiencePolicy ANY = new AudiencePolicy(List.of("*"));
    public static final AudiencePolicy NONE = new AudiencePolicy(List.of());
    public static final int MAX_PATTERNS = 100;

    private final List<String> patterns;
    private final boolean allowsAny;
    private final List<AudienceGlob> globs;

    public AudiencePolicy(List<String> patterns) {
        this.patterns = List.copyOf(patterns);
        if (this.patterns.size() > MAX_PATTERNS) {
            throw new IllegalArgumentException("the audience policy allows at most " + MAX_PATTERNS + " patterns");
        }
        for (String pattern : this.patterns) {
            if (!Audiences.isValid(pattern)) {
                throw new IllegalArgumentException("audience pattern '" + pattern + "' must be 1-256 printable characters");
            }
        }
        this.allowsAny = this.patterns.contains("*");
        this.globs = this.patterns.stream().map(AudienceGlob::new).toList();
    }

    public List<String> patterns() {
        return patterns;
    }

    public boolean allows(String audience) {
        if (allowsAny) {
            return true;
        }
        for (AudienceGlob glob : globs) {
            if (glob.matches(audience)) {
                return true;
            }
        }
        return false;
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof AudiencePolicy policy && patterns.equals(policy.patterns);
    }

    @Override
    public int hashCode() {
        return patterns.hashCode();
    }

    @Override
    public String toString() {
        return "AudiencePolicy" + patterns;
    }
}
