package dev.machineoidc.bench;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.contains;
import static org.hamcrest.Matchers.is;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class BenchOptionsTest {

    private static final String[] REQUIRED = {"--keycloak-home", "kc", "--provider-jar", "a.jar", "--provider-jar", "b.jar",
            "--bridge-launcher", "bridge"};

    @Test
    void defaultsMeasureFourConcurrenciesInThreeRoundsWithTheScalingRun() {
        BenchOptions options = BenchOptions.parse(REQUIRED);
        assertThat(options.rounds(), is(3));
        assertThat(options.concurrencies(), contains(1, 4, 16, 64));
        assertThat(options.scaleOrgs(), is(1000));
        assertThat(options.scaleMachines(), is(10_000));
        assertThat(options.providerJars(), contains(Path.of("a.jar"), Path.of("b.jar")));
        assertThat(options.fleetOnly(), is(false));
        assertThat(options.fleetMachines(), is(1000));
        assertThat(options.fleetConcurrency(), is(16));
        assertThat(options.slowReadersOnly(), is(false));
        assertThat(options.slowConnections(), is(500));
        assertThat(options.slowReadersRate(), is(200.0));
    }

    @Test
    void slowReadersIsAFlagAndItsSizesAreOptions() {
        BenchOptions options = BenchOptions.parse(concat(REQUIRED, "--slow-readers", "--slow-connections", "50",
                "--slow-readers-rate", "100"));
        assertThat(options.slowReadersOnly(), is(true));
        assertThat(options.slowConnections(), is(50));
        assertThat(options.slowReadersRate(), is(100.0));

        assertThat(BenchOptions.parse(concat(REQUIRED, "--slow-connections", "0")).slowConnections(), is(0));
        assertThat(assertThrows(BenchOptions.UsageException.class,
                () -> BenchOptions.parse(concat(REQUIRED, "--slow-readers", "--slow-connections", "0"))).getMessage(),
                containsString("--slow-readers needs --slow-connections above 0"));
        assertThat(assertThrows(BenchOptions.UsageException.class,
                () -> BenchOptions.parse(concat(REQUIRED, "--slow-readers", "--fleet"))).getMessage(),
                containsString("choose one"));
    }

    @Test
    void machineListIsAFlagSizedByScaleMachines() {
        BenchOptions options = BenchOptions.parse(concat(REQUIRED, "--machine-list", "--scale-machines", "500"));
        assertThat(options.machineListOnly(), is(true));
        assertThat(options.scaleMachines(), is(500));
        assertThat(BenchOptions.parse(REQUIRED).machineListOnly(), is(false));
        assertThat(assertThrows(BenchOptions.UsageException.class,
                () -> BenchOptions.parse(concat(REQUIRED, "--machine-list", "--scale-machines", "0"))).getMessage(),
                containsString("--machine-list needs --scale-machines above 0"));
        assertThat(assertThrows(BenchOptions.UsageException.class,
                () -> BenchOptions.parse(concat(REQUIRED, "--machine-list", "--fleet"))).getMessage(),
                containsString("choose one"));
    }

    @Test
    void fleetIsAFlagAnywhereAndItsSizesAreOptions() {
        BenchOptions options = BenchOptions.parse(concat(REQUIRED, "--fleet-machines", "50", "--fleet-concurrency", "8", "--fleet"));
        assertThat(options.fleetOnly(), is(true));
        assertThat(options.fleetMachines(), is(50));
        assertThat(options.fleetConcurrency(), is(8));

        BenchOptions first = BenchOptions.parse(concat(new String[] {"--fleet", "--rounds", "1"}, REQUIRED));
        assertThat(first.fleetOnly(), is(true));
        assertThat(first.rounds(), is(1));

        assertThat(BenchOptions.parse(concat(REQUIRED, "--fleet-machines", "0")).fleetMachines(), is(0));
    }

    @Test
    void fleetSizesMustMakeSense() {
        assertThat(assertThrows(BenchOptions.UsageException.class,
                () -> BenchOptions.parse(concat(REQUIRED, "--fleet", "--fleet-machines", "0"))).getMessage(),
                containsString("--fleet needs --fleet-machines above 0"));
        assertThat(assertThrows(BenchOptions.UsageException.class,
                () -> BenchOptions.parse(concat(REQUIRED, "--fleet-machines", "10", "--fleet-concurrency", "16"))).getMessage(),
                containsString("--fleet-machines must be at least --fleet-concurrency (16)"));
        assertThat(assertThrows(BenchOptions.UsageException.class,
                () -> BenchOptions.parse(concat(REQUIRED, "--fleet-concurrency", "0"))).getMessage(),
                containsString("--fleet-concurrency must be positive"));
    }

    @Test
    void optionsOverrideTheDefaults() {
        String[] args = concat(REQUIRED, "--rounds", "5", "--seconds", "3", "--concurrency", "16, 4,16", "--scale-orgs", "0");
        BenchOptions options = BenchOptions.parse(args);
        assertThat(options.rounds(), is(5));
        assertThat(options.measured(), is(Duration.ofSeconds(3)));
        assertThat(options.concurrencies(), contains(4, 16));
        assertThat(options.scaleOrgs(), is(0));
    }

    @Test
    void badValuesSayWhatIsWrong() {
        assertThat(assertThrows(BenchOptions.UsageException.class,
                () -> BenchOptions.parse(concat(REQUIRED, "--rounds", "0"))).getMessage(), containsString("--rounds must be positive"));
        assertThat(assertThrows(BenchOptions.UsageException.class,
                () -> BenchOptions.parse(concat(REQUIRED, "--seconds", "x"))).getMessage(), containsString("whole number"));
        assertThat(assertThrows(BenchOptions.UsageException.class,
                () -> BenchOptions.parse(concat(REQUIRED, "--colour", "red"))).getMessage(), containsString("unknown option --colour"));
        assertThat(assertThrows(BenchOptions.UsageException.class,
                () -> BenchOptions.parse(new String[] {"--rounds", "2"})).getMessage(), containsString("required"));
    }

    private static String[] concat(String[] first, String... more) {
        String[] all = java.util.Arrays.copyOf(first, first.length + more.length);
        System.arraycopy(more, 0, all, first.length, more.length);
        return all;
    }
}
