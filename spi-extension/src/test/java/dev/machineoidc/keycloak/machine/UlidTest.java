package dev.machineoidc.keycloak.machine;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.HashSet;
import java.util.Set;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.greaterThan;
import static org.hamcrest.Matchers.is;
import static org.hamcrest.Matchers.lessThan;
import static org.hamcrest.Matchers.matchesPattern;

class UlidTest {

    private static final String CROCKFORD = "0123456789ABCDEFGHJKMNPQRSTVWXYZ";

    private static Clock at(long millis) {
        return Clock.fixed(Instant.ofEpochMilli(millis), ZoneOffset.UTC);
    }

    private static long decodeTime(String ulid) {
        long time = 0;
        for (char c : ulid.substring(0, 10).toCharArray()) {
            time = time * 32 + CROCKFORD.indexOf(c);
        }
        return time;
    }

    @Test
    void is26CrockfordCharactersAndValid() {
        Set<String> seen = new HashSet<>();
        Clock clock = at(1_700_000_000_123L);
        for (int i = 0; i < 5_000; i++) {
            String ulid = Ulid.generate(clock);
            assertThat(ulid, matchesPattern("[0-9A-HJKMNP-TV-Z]{26}"));
            assertThat(Ulid.isValid(ulid), is(true));
            assertThat("duplicate " + ulid, seen.add(ulid), is(true));
        }
    }

    @Test
    void timePrefixEncodesTheClockMillis() {
        for (long millis : new long[] {0L, 1L, 31L, 32L, 1_700_000_000_123L, (1L << 48) - 1}) {
            String ulid = Ulid.generate(at(millis));
            assertThat(decodeTime(ulid), is(millis));
        }
        assertThat(Ulid.generate(at(0)).substring(0, 10), is("0000000000"));
        assertThat(Ulid.generate(at((1L << 48) - 1)).substring(0, 10), is("7ZZZZZZZZZ"));
    }

    @Test
    void sameClockGivesTheSamePrefixAndRandomSuffix() {
        Clock clock = at(1_234_567_890_000L);
        String a = Ulid.generate(clock);
        String b = Ulid.generate(clock);
        assertThat(a.substring(0, 10), is(b.substring(0, 10)));
        assertThat(a.substring(10).equals(b.substring(10)), is(false));
    }

    @Test
    void laterClockSortsLater() {
        long base = 1_700_000_000_000L;
        String previous = Ulid.generate(at(base));
        for (long step : new long[] {1, 2, 31, 32, 1_000, 86_400_000L, 10L * 365 * 86_400_000L}) {
            String next = Ulid.generate(at(base + step));
            assertThat(next.substring(0, 10).compareTo(previous.substring(0, 10)), greaterThan(0));
            assertThat(next.compareTo(previous), greaterThan(0));
            assertThat(previous.compareTo(next), lessThan(0));
            previous = next;
            base += step;
        }
    }

    @Test
    void randomPartUsesTheWholeAlphabet() {
        Set<Character> chars = new HashSet<>();
        for (int i = 0; i < 200; i++) {
            Ulid.generate(at(0)).substring(10).chars().forEach(c -> chars.add((char) c));
        }
        assertThat(chars.size(), is(32));
    }

    @ParameterizedTest
    @CsvSource(nullValues = "NULL", value = {
            "01ARZ3NDEKTSV4RRFFQ69G5FAV, true",
            "7ZZZZZZZZZZZZZZZZZZZZZZZZZ, true",
            "00000000000000000000000000, true",
            "8ZZZZZZZZZZZZZZZZZZZZZZZZZ, false",
            "01ARZ3NDEKTSV4RRFFQ69G5FA, false",
            "01ARZ3NDEKTSV4RRFFQ69G5FAVX, false",
            "01arz3ndektsv4rrffq69g5fav, false",
            "01ARZ3NDEKTSV4RRFFQ69G5FAI, false",
            "01ARZ3NDEKTSV4RRFFQ69G5FAL, false",
            "01ARZ3NDEKTSV4RRFFQ69G5FAO, false",
            "01ARZ3NDEKTSV4RRFFQ69G5FAU, false",
            "'', false",
            "NULL, false"})
    void isValid(String ulid, boolean valid) {
        assertThat(Ulid.isValid(ulid), is(valid));
    }
}
