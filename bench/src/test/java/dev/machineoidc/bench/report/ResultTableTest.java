package dev.machineoidc.bench.report;

import org.junit.jupiter.api.Test;

import java.util.Arrays;
import java.util.List;
import java.util.Locale;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.contains;
import static org.hamcrest.Matchers.is;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.not;
import static org.hamcrest.Matchers.startsWith;
import static org.junit.jupiter.api.Assertions.assertThrows;

class ResultTableTest {

    private static final List<Ceiling> CEILINGS = List.of(new Ceiling("SunRsaSign", 8, 12_000),
            new Ceiling("AmazonCorrettoCryptoProvider", 8, 40_000.4));

    private final String table = ResultTable.render(SummaryTest.sample(), CEILINGS, "machine-oidc",
            "client_credentials");
    private final List<String> lines = table.lines().toList();

    @Test
    void oneLinePerSideAndConcurrencyWithItsFiguresAndItsRateOverTheBaselinesBest() {
        assertThat(cells(1), contains("machine-oidc", "1", "500", "0.20", "0.50", "1.00", "0.40", "0", "0.25"));
        assertThat(cells(2), contains("machine-oidc", "16", "3000", "5.00", "9.00", "15.00", "0.35", "0", "1.50"));
        assertThat(cells(3), contains("machine-oidc", "64", "2500", "25.00", "60.00", "120.00", "0.36", "3",
                "1.25"));
        assertThat(cells(4), contains("client_credentials", "1", "400", "0.25", "0.60", "1.20", "0.50", "0",
                "0.20"));
        assertThat(cells(6), contains("client_credentials", "64", "2000", "30.00", "70.00", "140.00", "0.47", "0",
                "1.00"));
    }

    @Test
    void theHeaderNamesEveryColumnAndTheColumnsLineUp() {
        assertThat(lines.get(0).split(" {2,}"), is(new String[] {"side", "concurrency", "tokens/s", "p50 ms",
                "p99 ms", "p99.9 ms", "KC CPU ms/token", "errors", "vs baseline"}));
        // Every column after the side is right-aligned, so aligned rows all end at the same place.
        assertThat(lines.subList(0, 7).stream().map(String::length).distinct().count(), is(1L));
        assertThat(lines.get(7), is(""));
    }

    @Test
    void ceilingLinesGiveTheSigningRateAndOurBestShareOfIt() {
        assertThat(lines.get(8).split(" {2,}"), is(new String[] {"RS256 ceiling", "threads", "signatures/s",
                "machine-oidc best / ceiling"}));
        assertThat(cells(9), contains("SunRsaSign", "8", "12000", "0.25"));
        assertThat(cells(10), contains("AmazonCorrettoCryptoProvider", "8", "40000", "0.07"));
        assertThat(lines.subList(8, 11).stream().map(String::length).distinct().count(), is(1L));
    }

    @Test
    void endsWithOursOverTheBaselineAtTheirBestConcurrencies() {
        assertThat(lines.get(lines.size() - 1),
                is("machine-oidc / client_credentials at best concurrency (16 vs 64): 1.50"));
        assertThat(lines.size(), is(13));
    }

    @Test
    void withoutCeilingsTheCeilingSectionIsLeftOut() {
        List<String> lines = ResultTable.render(SummaryTest.sample(), List.of(), "machine-oidc",
                "client_credentials").lines().toList();

        assertThat(lines.size(), is(9));
        assertThat(lines, not(hasItem(startsWith("RS256 ceiling"))));
    }

    @Test
    void numbersIgnoreTheDefaultLocale() {
        Locale before = Locale.getDefault();
        Locale.setDefault(Locale.GERMANY);
        try {
            assertThat(ResultTable.render(SummaryTest.sample(), CEILINGS, "machine-oidc", "client_credentials"),
                    is(table));
        } finally {
            Locale.setDefault(before);
        }
    }

    @Test
    void anUnknownSideIsRejected() {
        assertThrows(IllegalArgumentException.class,
                () -> ResultTable.render(SummaryTest.sample(), CEILINGS, "machine-oidc", "password"));
    }

    private List<String> cells(int line) {
        return Arrays.asList(lines.get(line).trim().split(" +"));
    }
}
