package dev.machineoidc.keycloak.token;

import dev.machineoidc.keycloak.refusal.Refusal;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.keycloak.jose.jws.JWSHeader;
import org.keycloak.representations.JsonWebToken;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.is;
import static org.junit.jupiter.api.Assertions.assertThrows;

class MintAssertionRulesTest {

    private static final String ORG = "acme";
    private static final String CLIENT = "machine:m@app";
    private static final long NOW = 1_800_000_000L;

    private static JsonWebToken claims(long iat, long exp) {
        return new JsonWebToken().issuer(CLIENT).subject(CLIENT).audience(MintAssertionRules.audience(ORG)).iat(iat).exp(exp);
    }

    private static void assertRefused(JsonWebToken claims, String why) {
        Refusal e = assertThrows(Refusal.class, () -> MintAssertionRules.checkClaims(claims, ORG, NOW));
        assertThat(e.kind().status(), is(401));
        assertThat(e.code(), is("invalid_token"));
        assertThat(e.getMessage(), containsString(why));
    }

    @Test
    void aFreshAssertionNamesItsMachine() {
        assertThat(MintAssertionRules.checkClaims(claims(NOW, NOW + 300), ORG, NOW), is(CLIENT));
    }

    @ParameterizedTest(name = "iat {0}, exp {1} (relative to now)")
    @CsvSource({"-299, 1", "0, 300", "60, 300", "-100, 200"})
    void theWindowAllowsAClockUpToAMinuteAheadAndFiveMinutesOfUse(long iat, long exp) {
        assertThat(MintAssertionRules.checkClaims(claims(NOW + iat, NOW + exp), ORG, NOW), is(CLIENT));
    }

    @Test
    void anExpiredAssertionIsRefused() {
        assertRefused(claims(NOW - 300, NOW), "expired");
    }

    @Test
    void anAssertionFromAClockMoreThanAMinuteAheadIsRefused() {
        assertRefused(claims(NOW + 61, NOW + 300), "clock runs ahead");
    }

    @Test
    void noAssertionIsUsableForMoreThanFiveMinutesByKeycloaksClock() {
        assertRefused(claims(NOW, NOW + 301), "at most 300 seconds");
        // A clock 50 s ahead keeps a 300 s lifetime, but Keycloak still allows only 300 s from now.
        assertRefused(claims(NOW + 50, NOW + 350), "at most 300 seconds");
    }

    @Test
    void anAssertionForAnotherOrgOrAnotherEndpointIsRefused() {
        assertRefused(claims(NOW, NOW + 300).audience(MintAssertionRules.audience("other")), "'aud' must be");
        assertRefused(claims(NOW, NOW + 300).audience("https://kc.example/realms/acme"), "'aud' must be");
        assertRefused(claims(NOW, NOW + 300).audience(MintAssertionRules.audience(ORG), "https://elsewhere"), "'aud' must be");
    }

    @Test
    void issuerAndSubjectMustBothNameTheMachine() {
        assertRefused(claims(NOW, NOW + 300).issuer("someone-else"), "'iss' and 'sub'");
        assertRefused(claims(NOW, NOW + 300).subject(null), "'iss' and 'sub'");
    }

    @Test
    void timesAreRequired() {
        assertRefused(new JsonWebToken().issuer(CLIENT).subject(CLIENT).audience(MintAssertionRules.audience(ORG)).exp(NOW + 10),
                "'iat' and 'exp'");
    }

    private static JWSHeader header(String json) throws Exception {
        return new ObjectMapper().readValue(json, JWSHeader.class);
    }

    @Test
    void theHeaderMustSayMintAssertionAndNameTheKey() throws Exception {
        MintAssertionRules.checkHeader(header("{\"alg\":\"ES256\",\"typ\":\"machine-mint+jwt\",\"kid\":\"k\"}"));
        MintAssertionRules.checkHeader(header("{\"alg\":\"RS256\",\"typ\":\"machine-mint+jwt\",\"kid\":\"k\"}"));
        for (String refused : new String[] {
                "{\"alg\":\"ES256\",\"typ\":\"JWT\",\"kid\":\"k\"}",
                "{\"alg\":\"ES256\",\"kid\":\"k\"}",
                "{\"alg\":\"HS256\",\"typ\":\"machine-mint+jwt\",\"kid\":\"k\"}",
                "{\"alg\":\"none\",\"typ\":\"machine-mint+jwt\",\"kid\":\"k\"}",
                "{\"alg\":\"ES256\",\"typ\":\"machine-mint+jwt\"}",
                "{\"alg\":\"ES256\",\"typ\":\"machine-mint+jwt\",\"kid\":\"\"}"}) {
            Refusal e = assertThrows(Refusal.class, () -> MintAssertionRules.checkHeader(header(refused)), refused);
            assertThat(refused, e.kind().status(), is(401));
        }
    }
}
