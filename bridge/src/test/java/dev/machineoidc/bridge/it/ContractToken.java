package dev.machineoidc.bridge.it;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.is;
import static org.hamcrest.Matchers.lessThan;
import static org.hamcrest.Matchers.matchesPattern;
import static org.hamcrest.Matchers.notNullValue;

import com.fasterxml.jackson.databind.JsonNode;
import com.nimbusds.jose.JOSEObjectType;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import dev.machineoidc.testing.ContractClaims;
import dev.machineoidc.testing.Discovery;
import java.time.Instant;
import java.util.HashSet;
import java.util.Set;
import java.util.UUID;

/** The contract's "The token" section as assertions. */
final class ContractToken {

    static final String JWT = "[A-Za-z0-9_-]+\\.[A-Za-z0-9_-]+\\.[A-Za-z0-9_-]+";
    static final int DEFAULT_LIFETIME = 600;

    private ContractToken() {
    }

    /**
     * Verifies {@code jwt} through discovery and asserts every contract claim for {@code machine}.
     *
     * @return the verified claims
     */
    static JWTClaimsSet assertValid(String jwt, Machine machine, String audience, long lifetimeSeconds) throws Exception {
        assertThat("a compact JWS, nothing around it", jwt, matchesPattern(JWT));
        JWSHeader header = SignedJWT.parse(jwt).getHeader();
        assertThat(header.getAlgorithm(), is(JWSAlgorithm.RS256));
        assertThat("kid", header.getKeyID(), notNullValue());
        assertThat(header.getType(), is(JOSEObjectType.JWT));

        JWTClaimsSet claims = Discovery.verify(jwt);

        assertThat(claims.getClaims().keySet(), equalTo(ContractClaims.NAMES));
        assertThat(claims.getIssuer(), is(machine.issuer()));
        assertThat(claims.getSubject(), is(machine.subject()));
        JsonNode raw = ContractClaims.payload(jwt);
        assertThat("aud is a single string: " + raw.get("aud"), raw.get("aud").isTextual(), is(true));
        assertThat(raw.get("aud").asText(), is(audience));
        long iat = raw.get("iat").asLong();
        assertThat(raw.get("exp").asLong() - iat, is(lifetimeSeconds));
        assertThat("nbf = iat (no backdate configured)", raw.get("nbf").asLong(), is(iat));
        assertThat("iat is now", Math.abs(Instant.now().getEpochSecond() - iat), lessThan(120L));
        assertThat(UUID.fromString(claims.getJWTID()).toString(), is(claims.getJWTID()));
        assertThat(claims.getStringClaim("org_id"), is(machine.orgId()));
        assertThat(claims.getStringClaim("org_name"), is(machine.org()));
        assertThat(claims.getStringClaim("app_id"), is(machine.appId()));
        assertThat(claims.getStringClaim("app_name"), is(machine.app()));
        assertThat(claims.getStringClaim("machine_id"), is(machine.id()));
        assertThat(claims.getStringClaim("machine_id"), matchesPattern("[0-9a-f]{14}"));
        assertThat(claims.getStringClaim("machine_name"), is(machine.name()));
        assertThat(claims.getStringClaim("machine_version"), is(machine.version()));
        assertThat(claims.getStringClaim("machine_version"), matchesPattern("[0-9A-HJKMNP-TV-Z]{26}"));
        assertThat(claims.getStringClaim("image"), is(machine.image()));
        assertThat(claims.getStringClaim("image_digest"), is(machine.imageDigest()));
        assertThat(claims.getStringClaim("region"), is(machine.region()));
        return claims;
    }

    static String jti(String jwt) {
        return ContractClaims.payload(jwt).path("jti").asText();
    }

    static Set<String> claimNames(String jwt) {
        Set<String> names = new HashSet<>();
        ContractClaims.payload(jwt).fieldNames().forEachRemaining(names::add);
        return names;
    }
}
