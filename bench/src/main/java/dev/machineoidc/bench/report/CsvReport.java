package dev.machineoidc.bench.report;

import java.io.IOException;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * The raw rounds and their summary as CSV, for re-analysis elsewhere: full precision, '.' as the decimal
 * separator whatever the machine's locale, no exponent notation, and quotes only where a field needs them.
 */
public final class CsvReport {

    private static final List<String> MEASUREMENT_HEADER = List.of("side", "concurrency", "round", "tokens",
            "errors", "seconds", "p50_millis", "p99_millis", "p999_millis", "keycloak_cpu_millis_per_token",
            "tokens_per_second");
    private static final List<String> SUMMARY_HEADER = List.of("side", "concurrency", "rounds",
            "tokens_per_second", "p50_millis", "p99_millis", "p999_millis", "keycloak_cpu_millis_per_token",
            "errors");

    private CsvReport() {
    }

    /** One line per measured round, in the order given. */
    public static void writeMeasurements(List<Measurement> measurements, Path file) throws IOException {
        write(file, MEASUREMENT_HEADER, measurements.stream().map(m -> List.of(m.side(), m.concurrency(),
                m.round(), m.tokens(), m.errors(), m.seconds(), m.p50Millis(), m.p99Millis(), m.p999Millis(),
                m.keycloakCpuMillisPerToken(), m.tokensPerSecond())));
    }

    /** One line per side and concurrency, in the summary's order. */
    public static void writeSummary(Summary summary, Path file) throws IOException {
        write(file, SUMMARY_HEADER, summary.rows().stream().map(r -> List.of(r.side(), r.concurrency(),
                r.rounds(), r.tokensPerSecond(), r.p50Millis(), r.p99Millis(), r.p999Millis(),
                r.keycloakCpuMillisPerToken(), r.errors())));
    }

    /** Any table: a header line, then one line per record. */
    public static void write(Path file, List<String> header, Stream<List<Object>> records) throws IOException {
        String csv = Stream.concat(Stream.of(List.<Object>copyOf(header)), records)
                .map(record -> record.stream().map(CsvReport::field).collect(Collectors.joining(",")))
                .collect(Collectors.joining("\n", "", "\n"));
        Files.writeString(file, csv, StandardCharsets.UTF_8);
    }

    private static String field(Object value) {
        String text = value instanceof Double d ? number(d) : value.toString();
        // A line break inside a field needs quoting as much as a comma does, or it splits the record.
        if (text.contains(",") || text.contains("\"") || text.contains("\n") || text.contains("\r")) {
            return '"' + text.replace("\"", "\"\"") + '"';
        }
        return text;
    }

    // The shortest decimal that reads back as the same double, without Double.toString's exponent (1.0E-4),
    // which not every CSV consumer parses. NaN and Infinity (a zero-second window) have no decimal form.
    private static String number(double value) {
        return Double.isFinite(value) ? BigDecimal.valueOf(value).stripTrailingZeros().toPlainString()
                : Double.toString(value);
    }
}
