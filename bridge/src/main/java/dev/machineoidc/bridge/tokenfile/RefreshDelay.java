package dev.machineoidc.bridge.tokenfile;

import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.JWTParser;
import java.text.ParseException;
import java.time.Duration;
import java.util.Date;

/**
 * When to replace a token: after 90 % of its life ({@code exp - iat}), i.e. every 9 minutes for a
 * 10-minute token. Measured from when we got it, not from {@code iat}, so a skewed local clock
 * changes nothing.
 */
final class RefreshDelay {

    private RefreshDelay() {
    }

    static Duration of(String token) {
        JWTClaimsSet claims;
        try {
            claims = JWTParser.parse(token).getJWTClaimsSet();
        } catch (ParseException e) {
            throw new IllegalArgumentException("the token cannot be parsed");
        }
        Date issuedAt = claims.getIssueTime();
        Date expiresAt = claims.getExpirationTime();
        if (issuedAt == null || expiresAt == null || !expiresAt.after(issuedAt)) {
            throw new IllegalArgumentException("the token has no usable iat/exp");
        }
        long lifeMillis = expiresAt.getTime() - issuedAt.getTime();
        return Duration.ofMillis(lifeMillis * 9 / 10);
    }
}
