package dev.machineoidc.bridge.metrics;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.instanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class MetricsAddressTest {

    @ParameterizedTest
    @CsvSource({
        "127.0.0.1:9464,   127.0.0.1:9464",
        "127.1.2.3:1,      127.1.2.3:1",
        "[::1]:9464,       [0:0:0:0:0:0:0:1]:9464",
        "localhost:65535,  127.0.0.1:65535",
    })
    void loopbackPortsAreTaken(String value, String bound) {
        MetricsAddress address = MetricsAddress.parse(value);

        assertThat(address, instanceOf(MetricsAddress.Tcp.class));
        assertThat(address.toString(), equalTo(bound));
        assertThat(((MetricsAddress.Tcp) address).address().getAddress().isLoopbackAddress(), equalTo(true));
    }

    @Test
    void anAbsolutePathIsAUnixSocket() {
        assertThat(MetricsAddress.parse("/run/bridge/metrics"),
                equalTo(new MetricsAddress.Unix(Path.of("/run/bridge/metrics"))));
    }

    @ParameterizedTest
    @ValueSource(strings = {"0.0.0.0:9464", "10.0.0.1:9464", "192.168.1.1:80", "[::]:9464", "[fe80::1]:9464",
        "example.com:9464", "127.0.0.1.nip.io:9464", "127.0.0.256:9464", "0x7f.0.0.1:9464", "[::1:9464"})
    void everythingElseIsRefusedWithoutALookup(String value) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> MetricsAddress.parse(value));

        assertThat(e.getMessage(), containsString("loopback only"));
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "127.0.0.1          | expected HOST:PORT",
        "metrics.sock       | expected HOST:PORT",
        "127.0.0.1:         | port must be 1-65535",
        "127.0.0.1:0        | port must be 1-65535",
        "127.0.0.1:65536    | port must be 1-65535",
        "127.0.0.1:+80      | port must be 1-65535",
        "127.0.0.1:9999999  | port must be 1-65535",
    })
    void malformedAddressesSayWhatIsExpected(String value, String message) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> MetricsAddress.parse(value));

        assertThat(e.getMessage(), containsString(message));
    }

    @Test
    void aSocketPathMustFitTheKernelsLimit() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> MetricsAddress.parse("/tmp/" + "m".repeat(110)));

        assertThat(e.getMessage(), containsString("at most 107 bytes"));
    }

    @Test
    void codeCannotBuildANonLoopbackAddressEither() throws Exception {
        assertThrows(IllegalArgumentException.class, () -> new MetricsAddress.Tcp(
                new InetSocketAddress(InetAddress.getByName("0.0.0.0"), 9464)));
    }
}
