package dev.machineoidc.bench.report;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The rounds of a benchmark reduced to one row per side and concurrency. Medians rather than means, so that one
 * round disturbed by a GC pause or a noisy neighbour does not move the figure we report.
 */
public final class Summary {

    /** The medians over {@code rounds} rounds of one side at one concurrency; errors are summed, not medianed. */
    public record Row(String side, int concurrency, int rounds, double tokensPerSecond, double p50Millis,
                      double p99Millis, double p999Millis, double keycloakCpuMillisPerToken, long errors) {
    }

    // Side -> its rows by ascending concurrency; sides in the order they were first measured.
    private final Map<String, List<Row>> rowsBySide;

    private Summary(Map<String, List<Row>> rowsBySide) {
        this.rowsBySide = rowsBySide;
    }

    public static Summary of(List<Measurement> measurements) {
        Map<String, TreeMap<Integer, List<Measurement>>> grouped = new LinkedHashMap<>();
        for (Measurement m : measurements) {
            grouped.computeIfAbsent(m.side(), side -> new TreeMap<>())
                    .computeIfAbsent(m.concurrency(), concurrency -> new ArrayList<>())
                    .add(m);
        }
        Map<String, List<Row>> rowsBySide = new LinkedHashMap<>();
        grouped.forEach((side, byConcurrency) -> rowsBySide.put(side,
                byConcurrency.values().stream().map(Summary::row).toList()));
        return new Summary(rowsBySide);
    }

    private static Row row(List<Measurement> rounds) {
        Measurement first = rounds.get(0);
        return new Row(first.side(), first.concurrency(), rounds.size(),
                Median.of(rounds, Measurement::tokensPerSecond),
                Median.of(rounds, Measurement::p50Millis),
                Median.of(rounds, Measurement::p99Millis),
                Median.of(rounds, Measurement::p999Millis),
                Median.of(rounds, Measurement::keycloakCpuMillisPerToken),
                rounds.stream().mapToLong(Measurement::errors).sum());
    }

    /** Every row: sides in first-seen order, each side's concurrencies ascending. */
    public List<Row> rows() {
        return rowsBySide.values().stream().flatMap(List::stream).toList();
    }

    /** One side's rows, concurrencies ascending. */
    public List<Row> rows(String side) {
        List<Row> rows = rowsBySide.get(side);
        if (rows == null) {
            throw new IllegalArgumentException("No measurements for side '" + side + "'; measured sides are "
                    + sides());
        }
        return rows;
    }

    /** The sides in the order they were first measured. */
    public List<String> sides() {
        return List.copyOf(rowsBySide.keySet());
    }

    /** The side's row with the highest median tokens/s; on a tie the lower concurrency, which costs less. */
    public Row best(String side) {
        return rows(side).stream()
                .max(Comparator.comparingDouble(Row::tokensPerSecond)
                        .thenComparing(Comparator.comparingInt(Row::concurrency).reversed()))
                .orElseThrow();
    }

    /** How many times the baseline's rate the side reaches, each at its own best concurrency. */
    public double ratio(String side, String baseline) {
        return best(side).tokensPerSecond() / best(baseline).tokensPerSecond();
    }

    /** The share of the raw signing ceiling the side reaches at its best concurrency. */
    public double ratio(String side, Ceiling ceiling) {
        return best(side).tokensPerSecond() / ceiling.signaturesPerSecond();
    }
}
