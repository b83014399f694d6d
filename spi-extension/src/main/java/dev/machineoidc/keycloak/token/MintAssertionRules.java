package dev.machineoidc.keycloak.token;

import dev.machineoidc.keycloak.refusal.Refusal;
import org.keycloak.jose.jws.JWSHeader;
import org.keycloak.representations.JsonWebToken;

import java.util.Set;

/**
 * What a mint assertion must say, before any key is looked up (docs/bridge-protocol.md §2): made for minting, for
 * this org, naming one machine, and usable for at most {@link #MAX_LIFETIME_SECONDS} by Keycloak's clock, whatever
 * the machine's clock says. Nothing is stored per assertion, so this window is all that bounds a replay.
 */
public final class MintAssertionRules {

    public static final String TYPE = "machine-mint+jwt";
    public static final long MAX_LIFETIME_SECONDS = 300;
    /** How far ahead of Keycloak a machine's clock may run; a clock behind only shortens its assertions' use. */
    public static final long MAX_CLOCK_AHEAD_SECONDS = 60;
    private static final String AUDIENCE_PREFIX = "urn:machine-oidc:mint:";
    private static final Set<String> ALGORITHMS = Set.of("ES256", "RS256");

    private MintAssertionRules() {
    }

    /**
     * Not a URL: a bridge may reach the org through any node's or proxy's address, and no Keycloak endpoint takes an
     * audience of this form, so the assertion cannot stand in for a client assertion anywhere else.
     */
    public static String audience(String org) {
        return AUDIENCE_PREFIX + org;
    }

    /** @throws Refusal 401 {@code invalid_token} unless the header fits a mint assertion */
    public static void checkHeader(JWSHeader header) {
        if (!TYPE.equals(header.getType())) {
            throw invalid("The bearer is not a mint assertion (typ must be '" + TYPE + "').");
        }
        if (header.getAlgorithm() == null || !ALGORITHMS.contains(header.getAlgorithm().name())) {
            throw invalid("The mint assertion must be signed with ES256 or RS256.");
        }
        if (header.getKeyId() == null || header.getKeyId().isEmpty()) {
            throw invalid("The mint assertion's header needs the machine key's 'kid'.");
        }
    }

    /**
     * @param now Keycloak's time in seconds
     * @return the machine's client id, which the assertion names as both {@code iss} and {@code sub}
     * @throws Refusal 401 {@code invalid_token} saying which rule failed
     */
    public static String checkClaims(JsonWebToken claims, String org, long now) {
        String subject = claims.getSubject();
        if (subject == null || subject.isEmpty() || !subject.equals(claims.getIssuer())) {
            throw invalid("The mint assertion's 'iss' and 'sub' must both be the machine's client id.");
        }
        String[] audience = claims.getAudience();
        if (audience == null || audience.length != 1 || !audience(org).equals(audience[0])) {
            throw invalid("The mint assertion's 'aud' must be '" + audience(org) + "'.");
        }
        Long issuedAt = claims.getIat();
        Long expires = claims.getExp();
        if (issuedAt == null || expires == null) {
            throw invalid("The mint assertion needs 'iat' and 'exp'.");
        }
        if (expires <= now) {
            throw invalid("The mint assertion has expired.");
        }
        if (issuedAt > now + MAX_CLOCK_AHEAD_SECONDS) {
            throw invalid("The mint assertion was issued in the future: the machine's clock runs ahead of Keycloak's.");
        }
        if (expires - issuedAt > MAX_LIFETIME_SECONDS || expires > now + MAX_LIFETIME_SECONDS) {
            throw invalid("The mint assertion may live at most " + MAX_LIFETIME_SECONDS + " seconds.");
        }
        return subject;
    }

    static Refusal invalid(String message) {
        return Refusal.unauthenticated("invalid_token", message);
    }
}
