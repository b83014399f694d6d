package dev.machineoidc.bridge.metrics;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.equalTo;

import java.time.Instant;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class ExpositionTest {

    @Test
    void familiesAndSamplesInTheTextFormat() {
        Exposition out = new Exposition();
        out.family("x_total", "counter", "Things, counted.\nTwo lines, a \\ too.");
        out.sample("x_total", "3", "status", "200", "kind", "a");
        out.sample("x_total", "0");

        assertThat(out.text(), equalTo("""
                # HELP x_total Things, counted.\\nTwo lines, a \\\\ too.
                # TYPE x_total counter
                x_total{status="200",kind="a"} 3
                x_total 0
                """));
    }

    @Test
    void labelValuesEscapeBackslashQuoteAndLineFeed() {
        Exposition out = new Exposition();
        out.sample("f", "1", "path", "/tmp/a\"b\\c\nd");

        assertThat(out.text(), equalTo("f{path=\"/tmp/a\\\"b\\\\c\\nd\"} 1\n"));
    }

    @ParameterizedTest
    @CsvSource({
        "0,             0",
        "1000,          0.000001",
        "1500000000,    1.5",
        "2000000000,    2",
        "123456789012,  123.456789012",
    })
    void durationsAreSecondsWithoutExponent(long nanos, String seconds) {
        assertThat(Exposition.seconds(nanos), equalTo(seconds));
    }

    @Test
    void timestampsAreEpochSecondsToTheMillisecond() {
        assertThat(Exposition.seconds(Instant.parse("2026-11-26T10:00:00Z")), equalTo("1795687200"));
        assertThat(Exposition.seconds(Instant.parse("2026-11-26T10:00:00.250Z")), equalTo("1795687200.25"));
    }
}
