package dev.machineoidc.bench.http1;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.is;

import java.nio.charset.StandardCharsets;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class Http11PostTest {

    @Test
    void headersAndBodyInOneBufferWithTheBodysLengthInBytes() {
        Http11Post post = new Http11Post("/realms/acme/machine-oidc/tokens", Optional.of("Bearer abc"), "application/json",
                "{\"aud\":\"é\"}");

        assertThat(new String(post.encode("127.0.0.1:8190", false), StandardCharsets.UTF_8), is(
                "POST /realms/acme/machine-oidc/tokens HTTP/1.1\r\nHost: 127.0.0.1:8190\r\nAuthorization: Bearer abc\r\n"
                        + "Content-Type: application/json\r\nContent-Length: 12\r\n\r\n{\"aud\":\"é\"}"));
    }

    @Test
    void closingRequestSaysSoAndAnonymousOneHasNoAuthorization() {
        Http11Post post = new Http11Post("/token", Optional.empty(), "application/x-www-form-urlencoded", "a=b");

        assertThat(new String(post.encode("localhost:8490", true), StandardCharsets.UTF_8), is(
                "POST /token HTTP/1.1\r\nHost: localhost:8490\r\nContent-Type: application/x-www-form-urlencoded\r\n"
                        + "Content-Length: 3\r\nConnection: close\r\n\r\na=b"));
    }
}
