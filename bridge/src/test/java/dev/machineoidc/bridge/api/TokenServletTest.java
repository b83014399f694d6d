package dev.machineoidc.bridge.api;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.contains;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasSize;
import static org.hamcrest.Matchers.not;
import static org.hamcrest.Matchers.nullValue;

import dev.machineoidc.bridge.mint.MintException;
import dev.machineoidc.bridge.mint.MintException.Kind;
import dev.machineoidc.bridge.mint.TokenRequest;
import dev.machineoidc.bridge.socket.SocketServer;
import dev.machineoidc.bridge.testing.UnixHttpClient;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import org.eclipse.jetty.client.ContentResponse;
import org.eclipse.jetty.client.InputStreamRequestContent;
import org.eclipse.jetty.client.StringRequestContent;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The socket API over a real unix socket, with a fake minter behind it. */
@Timeout(30)
class TokenServletTest {

    @TempDir
    Path dir;

    private final FakeMinter minter = new FakeMinter();
    private final List<Integer> answers = new CopyOnWriteArrayList<>();
    private volatile boolean callerPermitted = true;
    private SocketServer server;
    private UnixHttpClient client;

    @BeforeEach
    void start() throws Exception {
        CallerGate gate = request -> new Caller("test:test", callerPermitted);
        server = ApiSocket.start(dir, minter, gate, answers::add, ApiSocket.NO_STATUS);
        client = new UnixHttpClient(server.path());
    }

    @AfterEach
    void stop() throws Exception {
        client.close();
        server.stop();
    }

    @Test
    void answersTheTokenAsPlainTextWithoutNewline() throws Exception {
        ContentResponse response = client.post("/v1/tokens/oidc", "{\"aud\":\"sts.amazonaws.com\"}");

        assertThat(response.getStatus(), equalTo(200));
        assertThat(response.getHeaders().get("Content-Type"), equalTo("text/plain"));
        assertThat(response.getContentAsString(), equalTo("eyJhbGciOiJSUzI1NiJ9.eyJqdGkiOiI1In0.c2ln"));
        assertThat(response.getContentAsString(), not(containsString("\n")));
        assertThat(minter.requests, contains(TokenRequest.forAudience("sts.amazonaws.com")));
    }

    @Test
    void emptyBodyMeansDefaults() throws Exception {
        ContentResponse response = client.post("/v1/tokens/oidc", null);

        assertThat(response.getStatus(), equalTo(200));
        assertThat(minter.requests, contains(new TokenRequest(Optional.empty(), false)));
    }

    @Test
    void everyCallMintsAgain() throws Exception {
        String first = client.post("/v1/tokens/oidc", "{}").getContentAsString();
        String second = client.post("/v1/tokens/oidc", "{}").getContentAsString();

        assertThat(first, not(equalTo(second)));
        assertThat(minter.requests, hasSize(2));
    }

    @Test
    void formEncodedContentTypeAsCurlSendsItIsStillJson() throws Exception {
        ContentResponse response = client.send("POST", "/v1/tokens/oidc",
                new StringRequestContent("application/x-www-form-urlencoded", "{\"aws_principal_tags\":true}"));

        assertThat(response.getStatus(), equalTo(200));
        assertThat(minter.requests, contains(new TokenRequest(Optional.empty(), true)));
    }

    @ParameterizedTest(name = "{0} -> {1}")
    @CsvSource(delimiter = '|', quoteCharacter = '`', value = {
        "{                      | 400 | invalid_request",
        "{\"aud\":7}            | 400 | invalid_request",
        "{\"aud\":\"\"}         | 400 | invalid_audience",
        "[]                     | 400 | invalid_request",
    })
    void invalidBodies(String body, int status, String code) throws Exception {
        ContentResponse response = client.post("/v1/tokens/oidc", body);

        assertError(response, status, code);
        assertThat("nothing is minted for a bad request", minter.requests, hasSize(0));
    }

    @ParameterizedTest(name = "{0} {1} -> {2}")
    @CsvSource({
        "GET,    /v1/tokens/oidc,  405, method_not_allowed",
        "PUT,    /v1/tokens/oidc,  405, method_not_allowed",
        "DELETE, /v1/tokens/oidc,  405, method_not_allowed",
        "POST,   /v1/tokens/oidc/, 404, not_found",
        "POST,   /v1/tokens,       404, not_found",
        "GET,    /,                404, not_found",
        "POST,   /v1/tokens/OIDC,  404, not_found",
    })
    void unknownPathsAndMethods(String method, String path, int status, String code) throws Exception {
        ContentResponse response = client.send(method, path, null);

        assertError(response, status, code);
        if (status == 405) {
            assertThat(response.getHeaders().get("Allow"), equalTo("POST"));
        }
    }

    @Test
    void bodyOverSixteenKibWithContentLengthIs413() throws Exception {
        String body = "{\"aud\":\"x\"}" + " ".repeat(RequestBody.LIMIT);

        assertError(client.post("/v1/tokens/oidc", body), 413, "request_too_large");
        assertThat(minter.requests, hasSize(0));
    }

    @Test
    void streamedBodyOverSixteenKibIs413() throws Exception {
        byte[] body = ("{\"aud\":\"x\"}" + " ".repeat(RequestBody.LIMIT)).getBytes(StandardCharsets.US_ASCII);
        // An InputStream of unknown length goes out chunked, without Content-Length.
        ContentResponse response = client.send("POST", "/v1/tokens/oidc",
                new InputStreamRequestContent("application/json", new ByteArrayInputStream(body)));

        assertError(response, 413, "request_too_large");
    }

    @Test
    void exactlySixteenKibIsAccepted() throws Exception {
        String json = "{\"aud\":\"x\"}";
        String body = json + " ".repeat(RequestBody.LIMIT - json.length());

        assertThat(client.send("POST", "/v1/tokens/oidc", new InputStreamRequestContent("application/json",
                new ByteArrayInputStream(body.getBytes(StandardCharsets.US_ASCII)))).getStatus(), equalTo(200));
        assertThat(client.post("/v1/tokens/oidc", body).getStatus(), equalTo(200));
    }

    @Test
    void chunkedOversizedBodyOnARawSocketIs413() throws Exception {
        String chunk = " ".repeat(8192);
        StringBuilder request = new StringBuilder("POST /v1/tokens/oidc HTTP/1.1\r\nHost: localhost\r\n"
                + "Transfer-Encoding: chunked\r\n\r\n");
        for (int i = 0; i < 3; i++) {
            request.append(Integer.toHexString(chunk.length())).append("\r\n").append(chunk).append("\r\n");
        }
        request.append("0\r\n\r\n");

        String response = rawExchange(request.toString());

        assertThat(response, containsString("HTTP/1.1 413"));
        assertThat(response, containsString("\"error\":\"request_too_large\""));
    }

    @ParameterizedTest(name = "{0} -> {1} {2}")
    @CsvSource({
        "DENIED,          403, audience_not_allowed",
        "DENIED,          403, machine_revoked",
        "INVALID_REQUEST, 400, invalid_aud",
        "UNAVAILABLE,     503, keycloak_unavailable",
        "UPSTREAM_ERROR,  502, keycloak_error",
    })
    void mintFailuresKeepTheirCode(Kind kind, int status, String code) throws Exception {
        minter.failWith(new MintException(kind, code, "explained"));

        ContentResponse response = client.post("/v1/tokens/oidc", "{\"aud\":\"x\"}");

        assertError(response, status, code);
        assertThat(response.getContentAsString(), containsString("\"message\":\"explained\""));
        assertThat(response.getHeaders().get("Retry-After"), status == 503 ? equalTo("2") : nullValue());
    }

    @Test
    void overTheRateLimitIs429WithKeycloaksRetryAfter() throws Exception {
        minter.failWith(MintException.rateLimited("over the org's mint rate limit; retry in 4 s.", 4));

        ContentResponse response = client.post("/v1/tokens/oidc", "{}");

        assertError(response, 429, "rate_limited");
        assertThat(response.getContentAsString(), containsString("\"message\":\"over the org's mint rate limit; retry in 4 s.\""));
        assertThat(response.getHeaders().get("Retry-After"), equalTo("4"));
    }

    @Test
    void unexpectedFailureIs500WithoutStackTrace() throws Exception {
        minter.failWith(new IllegalStateException("internal detail with key material"));

        ContentResponse response = client.post("/v1/tokens/oidc", "{}");

        assertError(response, 500, "internal_error");
        assertThat(response.getContentAsString(), not(containsString("internal detail")));
        assertThat(response.getContentAsString(), not(containsString("at dev.")));
    }

    @Test
    void everyAnswerIsCountedByStatusBeforeTheCallerHasIt() throws Exception {
        client.post("/v1/tokens/oidc", "{}");
        assertThat("counted by the time the answer arrived", answers, contains(200));
        client.post("/v1/tokens/oidc", "{\"aud\":7}");
        client.send("GET", "/v1/tokens/oidc", null);
        client.send("POST", "/elsewhere", null);
        minter.failWith(new MintException(Kind.UNAVAILABLE, "keycloak_unavailable", "down"));
        client.post("/v1/tokens/oidc", "{}");

        assertThat(answers, contains(200, 400, 405, 404, 503));
    }

    @Test
    void refusedCallerGets403BeforeAnythingElse() throws Exception {
        callerPermitted = false;

        assertError(client.post("/v1/tokens/oidc", "{}"), 403, "peer_not_allowed");
        assertError(client.send("GET", "/elsewhere", null), 403, "peer_not_allowed");
        assertThat(minter.requests, hasSize(0));
    }

    @Test
    void errorsJettyRaisesBeforeTheServletAreJsonToo() throws Exception {
        String response = rawExchange("GET /v1/tokens/oidc HTTP/1.1\r\nHost: localhost\r\nX-Big: "
                + "x".repeat(20_000) + "\r\n\r\n");

        assertThat(response, containsString("HTTP/1.1 431"));
        assertThat(response, containsString("Content-Type: application/json"));
        assertThat(response, containsString("\"error\":\"request_header_fields_too_large\""));
    }

    private static void assertError(ContentResponse response, int status, String code) {
        assertThat(response.getContentAsString(), response.getStatus(), equalTo(status));
        assertThat(response.getHeaders().get("Content-Type"), equalTo("application/json"));
        assertThat(response.getContentAsString(), containsString("\"error\":\"" + code + "\""));
        assertThat(response.getContentAsString(), containsString("\"message\":\""));
    }

    /** Writes a raw request, half-closes, and reads the answer until the server closes. */
    private String rawExchange(String request) throws IOException {
        try (SocketChannel channel = SocketChannel.open(UnixDomainSocketAddress.of(server.path()))) {
            channel.write(ByteBuffer.wrap(request.getBytes(StandardCharsets.US_ASCII)));
            channel.shutdownOutput();
            return new String(readAll(channel), StandardCharsets.US_ASCII);
        }
    }

    private static byte[] readAll(SocketChannel channel) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteBuffer buffer = ByteBuffer.allocate(8192);
        while (channel.read(buffer) >= 0) {
            buffer.flip();
            out.write(buffer.array(), 0, buffer.limit());
            buffer.clear();
        }
        return out.toByteArray();
    }
}
