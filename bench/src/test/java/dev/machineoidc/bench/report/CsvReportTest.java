package dev.machineoidc.bench.report;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.is;

class CsvReportTest {

    private static final List<Measurement> MEASUREMENTS = List.of(
            new Measurement("machine-oidc", 4, 1, 12_000, 0, 10, 1.25, 3.5, 7.125, 0.25),
            new Measurement("machine-oidc", 4, 2, 10_000, 2, 8, 1.75, 4.5, 9.0, 0.75),
            new Measurement("client_credentials", 4, 1, 3, 0, 0.5, 0.0001, 1e7, 100, 2));

    @TempDir
    Path dir;

    @Test
    void everyRoundIsOneLineInRecordOrderPlusItsRate() throws IOException {
        Path csv = dir.resolve("measurements.csv");

        CsvReport.writeMeasurements(MEASUREMENTS, csv);

        assertThat(Files.readString(csv, StandardCharsets.UTF_8), is("""
                side,concurrency,round,tokens,errors,seconds,p50_millis,p99_millis,p999_millis,\
                keycloak_cpu_millis_per_token,tokens_per_second
                machine-oidc,4,1,12000,0,10,1.25,3.5,7.125,0.25,1200
                machine-oidc,4,2,10000,2,8,1.75,4.5,9,0.75,1250
                client_credentials,4,1,3,0,0.5,0.0001,10000000,100,2,6
                """));
    }

    @Test
    void everySummaryRowIsOneLine() throws IOException {
        Path csv = dir.resolve("summary.csv");

        CsvReport.writeSummary(Summary.of(MEASUREMENTS), csv);

        assertThat(Files.readString(csv, StandardCharsets.UTF_8), is("""
                side,concurrency,rounds,tokens_per_second,p50_millis,p99_millis,p999_millis,\
                keycloak_cpu_millis_per_token,errors
                machine-oidc,4,2,1225,1.5,4,8.0625,0.5,2
                client_credentials,4,1,6,0.0001,10000000,100,2,0
                """));
    }

    @Test
    void onlyFieldsWithACommaOrAQuoteAreQuoted() throws IOException {
        Path csv = dir.resolve("quoted.csv");

        CsvReport.writeMeasurements(List.of(
                new Measurement("bridge, cached", 1, 1, 1, 0, 1, 1, 1, 1, 1),
                new Measurement("the \"fast\" path", 1, 1, 1, 0, 1, 1, 1, 1, 1)), csv);

        List<String> lines = Files.readAllLines(csv, StandardCharsets.UTF_8);
        assertThat(lines.get(1), is("\"bridge, cached\",1,1,1,0,1,1,1,1,1,1"));
        assertThat(lines.get(2), is("\"the \"\"fast\"\" path\",1,1,1,0,1,1,1,1,1,1"));
    }

    @Test
    void decimalsUseAPointWhateverTheDefaultLocale() throws IOException {
        Path csv = dir.resolve("german.csv");
        Locale before = Locale.getDefault();
        Locale.setDefault(Locale.GERMANY);
        try {
            CsvReport.writeMeasurements(MEASUREMENTS.subList(0, 1), csv);
        } finally {
            Locale.setDefault(before);
        }

        assertThat(Files.readAllLines(csv).get(1), is("machine-oidc,4,1,12000,0,10,1.25,3.5,7.125,0.25,1200"));
    }
}
