package dev.machineoidc.bridge.metrics;

import java.math.BigDecimal;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.atomic.LongAdder;

/**
 * Durations in fixed buckets. Each observation adds to one bucket; the exposition makes them cumulative, and reports
 * as {@code _count} the same total as the {@code +Inf} bucket so that a scrape never contradicts itself.
 */
final class Histogram {

    private final List<String> bounds;
    private final long[] boundNanos;
    /** One per bound, then one for everything above the last. */
    private final LongAdder[] buckets;
    private final LongAdder sumNanos = new LongAdder();

    /** @param boundsInSeconds upper bounds, ascending, as they should read in the {@code le} label */
    Histogram(List<String> boundsInSeconds) {
        bounds = List.copyOf(boundsInSeconds);
        boundNanos = bounds.stream().mapToLong(b -> new BigDecimal(b).movePointRight(9).longValueExact()).toArray();
        for (int i = 1; i < boundNanos.length; i++) {
            if (boundNanos[i] <= boundNanos[i - 1]) {
                throw new IllegalArgumentException("bucket bounds must ascend: " + bounds);
            }
        }
        buckets = new LongAdder[boundNanos.length + 1];
        for (int i = 0; i < buckets.length; i++) {
            buckets[i] = new LongAdder();
        }
    }

    void observe(long nanos) {
        int bucket = 0;
        while (bucket < boundNanos.length && nanos > boundNanos[bucket]) {
            bucket++;
        }
        buckets[bucket].increment();
        sumNanos.add(nanos);
    }

    /** @param labels alternating names and values that every sample of this histogram carries */
    void expose(Exposition out, String name, String... labels) {
        long cumulative = 0;
        for (int i = 0; i < boundNanos.length; i++) {
            cumulative += buckets[i].sum();
            out.sample(name + "_bucket", Long.toString(cumulative), withLe(labels, bounds.get(i)));
        }
        cumulative += buckets[boundNanos.length].sum();
        out.sample(name + "_bucket", Long.toString(cumulative), withLe(labels, "+Inf"));
        out.sample(name + "_sum", Exposition.seconds(sumNanos.sum()), labels);
        out.sample(name + "_count", Long.toString(cumulative), labels);
    }

    private static String[] withLe(String[] labels, String bound) {
        String[] all = Arrays.copyOf(labels, labels.length + 2);
        all[labels.length] = "le";
        all[labels.length + 1] = bound;
        return all;
    }
}
