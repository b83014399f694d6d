package dev.machineoidc.bench.report;

import org.junit.jupiter.api.Test;

import java.util.List;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.closeTo;
import static org.hamcrest.Matchers.contains;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.is;
import static org.junit.jupiter.api.Assertions.assertThrows;

class SummaryTest {

    private static final String OURS = "machine-oidc";
    private static final String BASELINE = "client_credentials";

    // Ten-second windows, so tokens / 10 is the rate.
    private static Measurement measurement(String side, int concurrency, int round, long tokens, long errors,
                                           double p50, double p99, double p999, double cpu) {
        return new Measurement(side, concurrency, round, tokens, errors, 10, p50, p99, p999, cpu);
    }

    @Test
    void medianOfAnOddNumberOfRoundsIsTheMiddleOne() {
        Summary summary = Summary.of(List.of(
                measurement(OURS, 4, 1, 30_000, 0, 3.0, 30, 300, 0.3),
                measurement(OURS, 4, 2, 10_000, 1, 1.0, 10, 100, 0.1),
                measurement(OURS, 4, 3, 20_000, 2, 2.0, 20, 200, 0.2)));

        assertThat(summary.rows(), contains(new Summary.Row(OURS, 4, 3, 2_000, 2.0, 20, 200, 0.2, 3)));
    }

    @Test
    void medianOfAnEvenNumberOfRoundsIsTheMeanOfTheTwoMiddleOnes() {
        Summary summary = Summary.of(List.of(
                measurement(OURS, 4, 1, 40_000, 0, 9.0, 40, 400, 0.9),
                measurement(OURS, 4, 2, 10_000, 0, 1.0, 10, 100, 0.1),
                measurement(OURS, 4, 3, 30_000, 0, 2.0, 20, 200, 0.2),
                measurement(OURS, 4, 4, 20_000, 5, 4.0, 30, 300, 0.4)));

        Summary.Row row = summary.rows().get(0);
        assertThat(row.rounds(), is(4));
        assertThat(row.tokensPerSecond(), closeTo(2_500, 1e-9));
        assertThat(row.p50Millis(), closeTo(3.0, 1e-9));
        assertThat(row.p99Millis(), closeTo(25, 1e-9));
        assertThat(row.p999Millis(), closeTo(250, 1e-9));
        assertThat(row.keycloakCpuMillisPerToken(), closeTo(0.3, 1e-9));
        assertThat(row.errors(), is(5L));
    }

    @Test
    void medianOfTwoRoundsIsTheirMean() {
        Summary summary = Summary.of(List.of(
                measurement(OURS, 1, 1, 10_000, 0, 1.0, 2, 3, 0.5),
                measurement(OURS, 1, 2, 20_000, 0, 2.0, 4, 6, 1.5)));

        assertThat(summary.rows(), contains(new Summary.Row(OURS, 1, 2, 1_500, 1.5, 3, 4.5, 1.0, 0)));
    }

    @Test
    void sidesKeepTheirFirstSeenOrderAndConcurrenciesAscend() {
        Summary summary = Summary.of(List.of(
                measurement(BASELINE, 16, 1, 1, 0, 1, 1, 1, 1),
                measurement(OURS, 64, 1, 1, 0, 1, 1, 1, 1),
                measurement(BASELINE, 1, 1, 1, 0, 1, 1, 1, 1),
                measurement(OURS, 4, 1, 1, 0, 1, 1, 1, 1),
                measurement(BASELINE, 4, 1, 1, 0, 1, 1, 1, 1)));

        assertThat(summary.sides(), contains(BASELINE, OURS));
        assertThat(summary.rows().stream().map(r -> r.side() + "@" + r.concurrency()).toList(),
                contains(BASELINE + "@1", BASELINE + "@4", BASELINE + "@16", OURS + "@4", OURS + "@64"));
        assertThat(summary.rows(OURS).stream().map(Summary.Row::concurrency).toList(), contains(4, 64));
    }

    @Test
    void bestIsTheConcurrencyWithTheHighestMedianRate() {
        Summary summary = sample();

        assertThat(summary.best(OURS).concurrency(), is(16));
        assertThat(summary.best(OURS).tokensPerSecond(), closeTo(3_000, 1e-9));
        assertThat(summary.best(BASELINE).concurrency(), is(64));
    }

    @Test
    void bestIsJudgedOnTheMedianNotOnASingleFastRound() {
        Summary summary = Summary.of(List.of(
                measurement(OURS, 4, 1, 10_000, 0, 1, 1, 1, 1),
                measurement(OURS, 4, 2, 11_000, 0, 1, 1, 1, 1),
                measurement(OURS, 4, 3, 90_000, 0, 1, 1, 1, 1),
                measurement(OURS, 16, 1, 20_000, 0, 1, 1, 1, 1),
                measurement(OURS, 16, 2, 20_000, 0, 1, 1, 1, 1),
                measurement(OURS, 16, 3, 1_000, 0, 1, 1, 1, 1)));

        assertThat(summary.best(OURS).concurrency(), is(16));
    }

    @Test
    void aTieGoesToTheLowerConcurrency() {
        Summary summary = Summary.of(List.of(
                measurement(OURS, 64, 1, 10_000, 0, 1, 1, 1, 1),
                measurement(OURS, 16, 1, 10_000, 0, 1, 1, 1, 1)));

        assertThat(summary.best(OURS).concurrency(), is(16));
    }

    @Test
    void ratioComparesEachSideAtItsOwnBestConcurrency() {
        Summary summary = sample();

        assertThat(summary.ratio(OURS, BASELINE), closeTo(3_000.0 / 2_000, 1e-12));
        assertThat(summary.ratio(BASELINE, OURS), closeTo(2_000.0 / 3_000, 1e-12));
    }

    @Test
    void ratioToACeilingUsesTheSidesBestRate() {
        assertThat(sample().ratio(OURS, new Ceiling("SunRsaSign", 8, 12_000)), closeTo(0.25, 1e-12));
    }

    @Test
    void anUnknownSideIsRejectedByName() {
        Summary summary = sample();

        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> summary.best("nope"));
        assertThat(e.getMessage(), containsString("'nope'"));
        assertThat(e.getMessage(), containsString(OURS));
        assertThrows(IllegalArgumentException.class, () -> summary.ratio(OURS, "nope"));
        assertThrows(IllegalArgumentException.class, () -> summary.ratio("nope", BASELINE));
        assertThrows(IllegalArgumentException.class, () -> summary.rows("nope"));
    }

    @Test
    void noMeasurementsGiveNoRows() {
        Summary summary = Summary.of(List.of());

        assertThat(summary.rows().isEmpty(), is(true));
        assertThat(summary.sides().isEmpty(), is(true));
    }

    // Ours peaks at 16 (3000/s), the baseline at 64 (2000/s); one round each.
    static Summary sample() {
        return Summary.of(List.of(
                measurement(OURS, 1, 1, 5_000, 0, 0.2, 0.5, 1.0, 0.40),
                measurement(OURS, 16, 1, 30_000, 0, 5.0, 9.0, 15.0, 0.35),
                measurement(OURS, 64, 1, 25_000, 3, 25.0, 60.0, 120.0, 0.36),
                measurement(BASELINE, 1, 1, 4_000, 0, 0.25, 0.6, 1.2, 0.50),
                measurement(BASELINE, 16, 1, 15_000, 0, 8.0, 12.0, 20.0, 0.48),
                measurement(BASELINE, 64, 1, 20_000, 0, 30.0, 70.0, 140.0, 0.47)));
    }
}
