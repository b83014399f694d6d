package dev.machineoidc.bench.load;

import java.util.Arrays;

/** Latencies of the requests of one window, in nanoseconds; appended to from the client's callback threads. */
public final class Latencies {

    private long[] values = new long[1024];
    private int size;

    public synchronized void add(long nanos) {
        if (size == values.length) {
            values = Arrays.copyOf(values, size * 2);
        }
        values[size++] = nanos;
    }

    public synchronized int size() {
        return size;
    }

    /** The nearest-rank percentile in milliseconds, e.g. {@code percentile(99.9)}; NaN when nothing was recorded. */
    public synchronized double percentileMillis(double percentile) {
        if (size == 0) {
            return Double.NaN;
        }
        long[] sorted = Arrays.copyOf(values, size);
        Arrays.sort(sorted);
        int rank = (int) Math.ceil(percentile / 100.0 * size);
        return sorted[Math.max(0, Math.min(size, rank) - 1)] / 1e6;
    }
}
