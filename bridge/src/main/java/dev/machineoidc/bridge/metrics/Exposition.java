package dev.machineoidc.bridge.metrics;

import java.math.BigDecimal;
import java.time.Instant;

/**
 * Prometheus' text exposition format 0.0.4, written by hand: a few families of counters, gauges and histograms do
 * not need a metrics library in a sidecar that should stay small.
 */
final class Exposition {

    static final String CONTENT_TYPE = "text/plain; version=0.0.4; charset=utf-8";

    private final StringBuilder out = new StringBuilder(4096);

    /** Starts a family: its HELP and TYPE lines; its samples follow. */
    void family(String name, String type, String help) {
        out.append("# HELP ").append(name).append(' ').append(escapeHelp(help)).append('\n');
        out.append("# TYPE ").append(name).append(' ').append(type).append('\n');
    }

    /** @param labels alternating names and values; the values are escaped here */
    void sample(String name, String value, String... labels) {
        out.append(name);
        if (labels.length > 0) {
            out.append('{');
            for (int i = 0; i < labels.length; i += 2) {
                if (i > 0) {
                    out.append(',');
                }
                out.append(labels[i]).append("=\"").append(escapeLabelValue(labels[i + 1])).append('"');
            }
            out.append('}');
        }
        out.append(' ').append(value).append('\n');
    }

    String text() {
        return out.toString();
    }

    /** A label value may hold anything (a file path, say): backslash, double quote and line feed are escaped. */
    static String escapeLabelValue(String value) {
        return value.replace("\\", "\\\\").replace("\"", "\\\"").replace("\n", "\\n");
    }

    private static String escapeHelp(String help) {
        return help.replace("\\", "\\\\").replace("\n", "\\n");
    }

    /** Seconds since the epoch, to the millisecond, without an exponent. */
    static String seconds(Instant instant) {
        return plain(BigDecimal.valueOf(instant.toEpochMilli(), 3));
    }

    /** A duration in seconds, to the nanosecond, without an exponent. */
    static String seconds(long nanos) {
        return plain(BigDecimal.valueOf(nanos, 9));
    }

    private static String plain(BigDecimal value) {
        return value.stripTrailingZeros().toPlainString();
    }
}
