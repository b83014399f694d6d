package dev.machineoidc.bridge.tokenfile;

import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.JWTParser;
import java.text.ParseException;
import java.time.Duration;
import java.util.Date;

/**
 * How long a token lives ({@code exp - iat}), and so when its file is replaced and when a file that could not be
 * replaced is removed. Both are measured from when we asked for the token, not from {@code iat}, so a skewed local
 * clock changes nothing, and the token cannot have been issued before that moment.
 */
record TokenLife(Duration life) {

    static TokenLife of(String token) {
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
        return new TokenLife(Duration.ofMillis(expiresAt.getTime() - issuedAt.getTime()));
    }

    /** 90 %: every 9 minutes for a 10-minute token. */
    Duration refreshAfter() {
        return life.multipliedBy(9).dividedBy(10);
    }

    /**
     * 95 %: the refresher gets half of the last tenth to retry in; the other half (30 s of a 10-minute token, 3 s of
     * the shortest, 60 s) is left for a consumer that read the file just before to present the token, and covers a
     * verifier's clock running that much ahead.
     */
    Duration removeAfter() {
        return life.multipliedBy(19).dividedBy(20);
    }
}
