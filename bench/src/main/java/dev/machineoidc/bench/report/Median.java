package dev.machineoidc.bench.report;

import java.util.List;
import java.util.function.ToDoubleFunction;

/** The median over rounds, the figure reported: single runs on small shared machines swing by a third. */
public final class Median {

    private Median() {
    }

    /** The middle value, or the mean of the two middle ones for an even count; NaN for none. */
    public static <T> double of(List<T> rounds, ToDoubleFunction<T> metric) {
        double[] values = rounds.stream().mapToDouble(metric).sorted().toArray();
        if (values.length == 0) {
            return Double.NaN;
        }
        int middle = values.length / 2;
        return values.length % 2 == 1 ? values[middle] : (values[middle - 1] + values[middle]) / 2;
    }
}
