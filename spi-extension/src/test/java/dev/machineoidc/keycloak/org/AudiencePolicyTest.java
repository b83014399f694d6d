package dev.machineoidc.keycloak.org;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.is;
import static org.junit.jupiter.api.Assertions.assertThrows;

class AudiencePolicyTest {

    static Stream<Arguments> cases() {
        return Stream.of(
                // "*" allows anything
                Arguments.of(List.of("*"), "sts.amazonaws.com", true),
                Arguments.of(List.of("*"), "https://anything/at all?x=1", true),
                Arguments.of(List.of("*"), "a", true),
                // exact patterns match only themselves, case-sensitively
                Arguments.of(List.of("sts.amazonaws.com"), "sts.amazonaws.com", true),
                Arguments.of(List.of("sts.amazonaws.com"), "STS.amazonaws.com", false),
                Arguments.of(List.of("sts.amazonaws.com"), "sts.amazonaws.com.evil", false),
                Arguments.of(List.of("sts.amazonaws.com"), "xsts.amazonaws.com", false),
                Arguments.of(List.of("sts.amazonaws.com"), "stsXamazonawsXcom", false),
                // host globs
                Arguments.of(List.of("https://*.example.com"), "https://api.example.com", true),
                Arguments.of(List.of("https://*.example.com"), "https://a.b.example.com", true),
                Arguments.of(List.of("https://*.example.com"), "https://example.com", false),
                Arguments.of(List.of("https://*.example.com"), "http://api.example.com", false),
                Arguments.of(List.of("https://*.example.com"), "https://api.example.com.evil.org", false),
                Arguments.of(List.of("https://*.example.com"), "https://evil.net/x.example.com", false),
                Arguments.of(List.of("https://example.com/*"), "https://example.com/a/b", false),
                Arguments.of(List.of("https://*.example.com"), "https://api.example.org", false),
                Arguments.of(List.of("https://*.example.com"), "https://apiXexample.com", false),
                // prefix / suffix / several stars
                Arguments.of(List.of("vault:*"), "vault:role-a", true),
                Arguments.of(List.of("vault:*"), "vault:", true),
                Arguments.of(List.of("vault:*"), "xvault:role", false),
                Arguments.of(List.of("*.internal"), "svc.internal", true),
                Arguments.of(List.of("*.internal"), "svc.internal.x", false),
                Arguments.of(List.of("a*b*c"), "abc", true),
                Arguments.of(List.of("a*b*c"), "a-x-b-y-c", true),
                Arguments.of(List.of("a*b*c"), "acb", false),
                Arguments.of(List.of("**"), "anything", true),
                // regex metacharacters are literal
                Arguments.of(List.of("a.b"), "a.b", true),
                Arguments.of(List.of("a.b"), "axb", false),
                Arguments.of(List.of("a+b"), "a+b", true),
                Arguments.of(List.of("a+b"), "aab", false),
                Arguments.of(List.of("a?b"), "a?b", true),
                Arguments.of(List.of("a?b"), "b", false),
                Arguments.of(List.of("[ab]"), "[ab]", true),
                Arguments.of(List.of("[ab]"), "a", false),
                Arguments.of(List.of("(x|y)"), "(x|y)", true),
                Arguments.of(List.of("(x|y)"), "x", false),
                Arguments.of(List.of("^a$"), "^a$", true),
                Arguments.of(List.of("^a$"), "a", false),
                Arguments.of(List.of("a{2}"), "aa", false),
                Arguments.of(List.of("a{2}"), "a{2}", true),
                Arguments.of(List.of("\\d"), "\\d", true),
                Arguments.of(List.of("\\d"), "1", false),
                Arguments.of(List.of("x\\E.*"), "x\\E.*", true),
                Arguments.of(List.of("x\\E.*"), "x\\Eyy", false),
                Arguments.of(List.of("x\\E*"), "x\\Eanything", true),
                Arguments.of(List.of("x\\E*"), "xanything", false),
                // several patterns: any one suffices
                Arguments.of(List.of("sts.amazonaws.com", "https://*.example.com"), "https://a.example.com", true),
                Arguments.of(List.of("sts.amazonaws.com", "https://*.example.com"), "sts.amazonaws.com", true),
                Arguments.of(List.of("sts.amazonaws.com", "https://*.example.com"), "vault", false),
                // an empty list allows nothing
                Arguments.of(List.of(), "sts.amazonaws.com", false),
                Arguments.of(List.of(), "*", false));
    }

    @ParameterizedTest
    @MethodSource("cases")
    void allows(List<String> patterns, String audience, boolean allowed) {
        assertThat(new AudiencePolicy(patterns).allows(audience), is(allowed));
    }

    @Test
    @Timeout(10)
    void patternsThatMakeARegexBacktrackCostOnlyLinearWork() {
        // As a regex, [^/]*a[^/]*a…b backtracks exponentially on an audience of a's without the b.
        String pattern = "*a".repeat(60) + "*b";
        assertThat(new AudiencePolicy(List.of(pattern)).allows("a".repeat(256)), is(false));
        assertThat(new AudiencePolicy(List.of(pattern)).allows("a".repeat(200) + "b"), is(true));
        assertThat(new AudiencePolicy(List.of("*".repeat(256))).allows("x".repeat(255) + "/"), is(false));
    }

    /** The glob against the regex it replaced, on short random patterns and audiences where a regex is harmless. */
    @Test
    void agreesWithTheRegexDefinitionOnRandomInput() {
        Random random = new Random(20261129);
        String alphabet = "ab/*";
        for (int round = 0; round < 5000; round++) {
            String pattern = randomText(random, alphabet, 1 + random.nextInt(8));
            String audience = randomText(random, "ab/", 1 + random.nextInt(10));
            String regex = Arrays.stream(pattern.split("\\*", -1)).map(Pattern::quote).collect(Collectors.joining("[^/]*"));
            boolean expected = "*".equals(pattern) || Pattern.compile(regex, Pattern.DOTALL).matcher(audience).matches();
            assertThat(pattern + " vs " + audience, new AudiencePolicy(List.of(pattern)).allows(audience), is(expected));
        }
    }

    private static String randomText(Random random, String alphabet, int length) {
        StringBuilder text = new StringBuilder();
        for (int i = 0; i < length; i++) {
            text.append(alphabet.charAt(random.nextInt(alphabet.length())));
        }
        return text.toString();
    }

    @Test
    void constants() {
        assertThat(AudiencePolicy.ANY.patterns(), is(List.of("*")));
        assertThat(AudiencePolicy.ANY.allows("https://whatever.example"), is(true));
        assertThat(AudiencePolicy.NONE.patterns(), is(List.of()));
        assertThat(AudiencePolicy.NONE.allows("https://whatever.example"), is(false));
    }

    @Test
    void patternsAreCopied() {
        List<String> patterns = new ArrayList<>(List.of("a"));
        AudiencePolicy policy = new AudiencePolicy(patterns);
        patterns.add("b");
        assertThat(policy.patterns(), is(List.of("a")));
        assertThat(policy.allows("b"), is(false));
        assertThrows(UnsupportedOperationException.class, () -> policy.patterns().add("c"));
    }

    @Test
    void atMost100Patterns() {
        assertThat(new AudiencePolicy(Collections.nCopies(100, "a")).patterns().size(), is(100));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> new AudiencePolicy(Collections.nCopies(101, "a")));
        assertThat(e.getMessage(), containsString("100"));
    }

    @Test
    void invalidPatternsAreRefused() {
        for (String bad : List.of("", "a".repeat(257), "caf\u00e9", "tab\t")) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                    () -> new AudiencePolicy(List.of("ok", bad)));
            assertThat(e.getMessage(), containsString("audience pattern"));
        }
    }
}
