package dev.machineoidc.keycloak.machine;

import java.security.SecureRandom;
import java.time.Clock;

/** ULIDs (26 Crockford base-32 characters: 48-bit millisecond time, 80 random bits) for machine versions. */
public final class Ulid {

    private static final char[] ALPHABET = "0123456789ABCDEFGHJKMNPQRSTVWXYZ".toCharArray();
    private static final SecureRandom RANDOM = new SecureRandom();

    private Ulid() {
    }

    public static String generate(Clock clock) {
        long time = clock.millis();
        byte[] random = new byte[10];
        RANDOM.nextBytes(random);
        char[] out = new char[26];
        for (int i = 9; i >= 0; i--) {
            out[i] = ALPHABET[(int) (time & 31)];
            time >>>= 5;
        }
        // 80 random bits as 16 characters of 5 bits, read most significant first.
        long high = 0;
        for (int i = 0; i < 5; i++) {
            high = (high << 8) | (random[i] & 0xff);
        }
        long low = 0;
        for (int i = 5; i < 10; i++) {
            low = (low << 8) | (random[i] & 0xff);
        }
        for (int i = 0; i < 8; i++) {
            out[17 - i] = ALPHABET[(int) (high & 31)];
            high >>>= 5;
            out[25 - i] = ALPHABET[(int) (low & 31)];
            low >>>= 5;
        }
        return new String(out);
    }

    public static boolean isValid(String ulid) {
        return ulid != null && ulid.matches("[0-7][0-9A-HJKMNP-TV-Z]{25}");
    }
}
