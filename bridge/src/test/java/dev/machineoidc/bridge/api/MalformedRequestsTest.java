package dev.machineoidc.bridge.api;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.instanceOf;
import static org.hamcrest.Matchers.lessThan;
import static org.hamcrest.Matchers.matchesPattern;
import static org.hamcrest.Matchers.not;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.machineoidc.bridge.config.FileMode;
import dev.machineoidc.bridge.socket.SocketServer;
import dev.machineoidc.bridge.testing.RawConnection;
import dev.machineoidc.bridge.testing.RawResponse;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.lifecycle.AfterContainer;
import net.jqwik.api.lifecycle.AfterProperty;
import net.jqwik.api.lifecycle.BeforeContainer;
import net.jqwik.api.statistics.Statistics;

/**
 * Generated malformed requests — broken request lines, bad, duplicate and oversized headers, wrong methods and
 * paths, bad lengths, chunked garbage, bodies that are not UTF-8, not JSON or JSON of the wrong types — sent over
 * the real unix socket to the socket API as the bridge serves it (Jetty, the socket layer and the servlet; a fake
 * minter behind). Each must be answered, in bounded time, with a token or a well-formed JSON error and never a
 * 5xx; after each property a normal request still gets its token. 10,000 tries in all.
 */
class MalformedRequestsTest {

    /** A malformed request is answered at once; this only keeps a hang from hanging the build. */
    private static final Duration ANSWER_DEADLINE = Duration.ofSeconds(5);
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final TypeReference<Map<String, Object>> MAP = new TypeReference<>() { };
    private static final String TOKEN = "[\\w-]+\\.[\\w-]+\\.[\\w-]+";
    private static final String POST_LINE = "POST /v1/tokens/oidc HTTP/1.1\r\n";

    private static Path dir;
    private static SocketServer server;

    @BeforeContainer
    static void start() throws Exception {
        dir = Files.createTempDirectory("bridge-fuzz-");
        ErrorBody errorBody = new ErrorBody();
        server = new SocketServer(dir.resolve("api"), FileMode.parseOctal("0600"),
                new TokenServlet(new FakeMinter(), request -> new Caller("test:test", true), "148e21ea7e46e8", errorBody,
                        status -> { }),
                errorBody);
        server.start();
    }

    @AfterContainer
    static void stop() throws Exception {
        server.stop();
        Files.deleteIfExists(dir);
    }

    @AfterProperty
    void aNormalRequestStillGetsItsToken() throws Exception {
        List<RawResponse> answers = exchange(bytes(POST_LINE + "Host: localhost\r\nContent-Length: 27\r\n\r\n"
                + "{\"aud\":\"sts.amazonaws.com\"}"));

        assertThat(answers.size(), equalTo(1));
        assertThat(answers.get(0).status(), equalTo(200));
        assertThat(answers.get(0).body(), matchesPattern(TOKEN));
    }

    @Property(tries = 2500)
    void brokenRequestLinesAndWrongMethods(@ForAll("requestLines") String requestLine) throws Exception {
        assertWellAnswered(bytes(requestLine + "Host: localhost\r\nContent-Length: 2\r\n\r\n{}"));
    }

    @Property(tries = 2500)
    void badDuplicateAndOversizedHeaders(@ForAll("headerBlocks") String headers) throws Exception {
        assertWellAnswered(bytes(POST_LINE + headers + "\r\n{}"));
    }

    @Property(tries = 3500)
    void bodiesOfTheWrongEncodingShapeOrSize(@ForAll("bodies") byte[] body, @ForAll("contentTypes") String contentType)
            throws Exception {
        ByteArrayOutputStream request = new ByteArrayOutputStream();
        request.writeBytes(bytes(POST_LINE + "Host: localhost\r\nContent-Type: " + contentType
                + "\r\nContent-Length: " + body.length + "\r\n\r\n"));
        request.writeBytes(body);
        assertWellAnswered(request.toByteArray());
    }

    @Property(tries = 1500)
    void badFramingAndChunkedGarbage(@ForAll("framings") byte[] request) throws Exception {
        assertWellAnswered(request);
    }

    /** Sends the request, half-closes and reads until the server closes: every answer must be well formed. */
    private static void assertWellAnswered(byte[] request) throws IOException {
        List<RawResponse> answers = exchange(request);
        assertThat("an answer to: " + printable(request), answers.isEmpty(), equalTo(false));
        for (RawResponse answer : answers) {
            Statistics.label("status").collect(answer.status());
            assertThat(printable(request), answer.status(), lessThan(500));
            if (answer.status() == 200) {
                assertThat(answer.body(), matchesPattern(TOKEN));
            } else {
                assertThat(answer.header("Content-Type"), equalTo("application/json"));
                Map<String, Object> error = jsonObject(answer.body());
                assertThat(answer.body(), error.get("error"), instanceOf(String.class));
                assertThat(answer.body(), error.get("message"), instanceOf(String.class));
                assertThat(answer.body(), (String) error.get("error"), matchesPattern("[a-z0-9_]+"));
                assertThat("no stack trace", answer.body(), not(matchesPattern("(?s).*\\tat .*")));
            }
        }
    }

    private static List<RawResponse> exchange(byte[] request) throws IOException {
        try (RawConnection connection = RawConnection.open(server.path())) {
            try {
                connection.send(request).endOutput();
            } catch (IOException e) {
                // The server may answer and close before taking all of an oversized request: read what it said.
            }
            return RawResponse.parseAll(connection.readUntilClosed(ANSWER_DEADLINE));
        }
    }

    private static String json(Map<String, String> object) {
        try {
            return JSON.writeValueAsString(object);
        } catch (JsonProcessingException e) {
            throw new AssertionError(e);
        }
    }

    private static Map<String, Object> jsonObject(String body) {
        try {
            return JSON.readValue(body, MAP);
        } catch (JsonProcessingException e) {
            throw new AssertionError("not a JSON object: " + body, e);
        }
    }

    private static byte[] bytes(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }

    private static String printable(byte[] request) {
        String text = new String(request, StandardCharsets.ISO_8859_1);
        return (text.length() > 300 ? text.substring(0, 300) + "… (" + text.length() + " bytes)" : text)
                .replace("\r", "\\r").replace("\n", "\\n");
    }

    @Provide
    Arbitrary<String> requestLines() {
        Arbitrary<String> method = Arbitraries.oneOf(
                Arbitraries.of("POST", "GET", "PUT", "DELETE", "OPTIONS", "PATCH", "TRACE", "CONNECT", "PRI", "post",
                        "P0ST", "POST ", ""),
                Arbitraries.strings().withCharRange('!', '~').ofMinLength(1).ofMaxLength(24),
                Arbitraries.strings().ofMaxLength(12));
        Arbitrary<String> target = Arbitraries.oneOf(
                Arbitraries.of("/v1/tokens/oidc", "/v1/tokens/oidc/", "/v1/tokens/OIDC", "/", "*", "",
                        "http://localhost/v1/tokens/oidc", "//v1//tokens/oidc", "/v1/tokens/oidc?aud=x", "/v1/tokens/oidc#x",
                        "/%2e%2e/%2e%2e/etc/passwd", "/v1/tokens/oidc%", "/v1/tokens/%00oidc", "/../../", "/é"),
                Arbitraries.strings().withCharRange('!', '~').ofMaxLength(200).map(path -> "/" + path),
                Arbitraries.strings().ofMaxLength(40).map(path -> "/" + path),
                Arbitraries.of(1_000, 9_000, 20_000).map(n -> "/" + "a".repeat(n)));
        Arbitrary<String> version = Arbitraries.of("HTTP/1.1", "HTTP/1.0", "HTTP/0.9", "HTTP/2.0", "HTTP/3", "HTTP/1.x",
                "http/1.1", "HTTP/1.1 extra", "HTTP/", "", "HTTP/11", "HTTP/1.1\u0000", "HTTP/1.1\u0085");
        Arbitrary<String> separator = Arbitraries.of(" ", "  ", "\t", "");
        Arbitrary<String> end = Arbitraries.of("\r\n", "\n", "\r\r\n");
        Arbitrary<String> allBroken = Combinators.combine(method, separator, target, separator, version, end)
                .as((m, s1, t, s2, v, e) -> m + s1 + t + s2 + v + e);
        return Arbitraries.oneOf(allBroken,
                method.map(m -> m + " /v1/tokens/oidc HTTP/1.1\r\n"),
                target.map(t -> "POST " + t + " HTTP/1.1\r\n"));
    }

    @Provide
    Arbitrary<String> headerBlocks() {
        Arbitrary<String> host = Arbitraries.of("Host: localhost\r\n", "", "Host:\r\n", "Host: a b\r\n",
                "Host: localhost\r\nHost: other\r\n", "Host: [::1\r\n", "Host: localhost:99999\r\n");
        Arbitrary<String> contentLength = Arbitraries.oneOf(
                Arbitraries.of("2", "0", "1", "3", "-1", "abc", "", "1e3", "+2", " 2 ", "2 2", "0x02",
                        "99999999999999999999", "16385", "1048577", "2, 2", "2,3").map(v -> "Content-Length: " + v + "\r\n"),
                Arbitraries.of("Content-Length: 2\r\nContent-Length: 2\r\n", "Content-Length: 2\r\nContent-Length: 3\r\n",
                        ""));
        Arbitrary<String> transferEncoding = Arbitraries.of("", "", "Transfer-Encoding: chunked\r\n",
                "Transfer-Encoding: gzip\r\n", "Transfer-Encoding: chunked, chunked\r\n", "Transfer-Encoding: identity\r\n",
                "Transfer-Encoding: gzip, chunked\r\n", "Transfer-Encoding:\r\n", "Transfer-Encoding: chunked\r\nTransfer-Encoding: x\r\n");
        Arbitrary<String> other = Arbitraries.oneOf(
                Arbitraries.of("", "Expect: 100-continue\r\n", "Expect: 999-garbage\r\n", "Connection: close\r\n",
                        "Connection: upgrade\r\nUpgrade: h2c\r\nHTTP2-Settings: AAMAAABkAAQAAP__\r\n", "Connection: garbage\r\n",
                        "Content-Type: \u0000\r\n", "Content-Encoding: gzip\r\n", "X-Folded: a\r\n b\r\n", " leading: space\r\n",
                        "NoColon\r\n", ": empty name\r\n", "X-Bad Name: v\r\n", "X-Ctl: a\u0001b\r\n", "X-Nul\u0000: v\r\n",
                        "X-Latin: caf\u00e9\r\n", "Cookie: " + "c=1; ".repeat(500) + "\r\n"),
                Arbitraries.integers().between(8_000, 40_000).map(n -> "X-Big: " + "x".repeat(n) + "\r\n"),
                Arbitraries.integers().between(50, 400).map(n -> "X-Many: v\r\n".repeat(n)),
                Combinators.combine(Arbitraries.strings().ofMinLength(1).ofMaxLength(30), Arbitraries.strings().ofMaxLength(60))
                        .as((name, value) -> name + ": " + value + "\r\n"));
        return Combinators.combine(host, contentLength, transferEncoding, other, other).as((h, cl, te, o1, o2) -> h + o1 + cl + te + o2);
    }

    @Provide
    Arbitrary<String> contentTypes() {
        return Arbitraries.oneOf(Arbitraries.of("application/json", "application/x-www-form-urlencoded", "text/plain",
                        "application/json; charset=latin1", "multipart/form-data; boundary=x", ""),
                Arbitraries.strings().withCharRange(' ', '~').ofMaxLength(40));
    }

    @Provide
    Arbitrary<byte[]> bodies() {
        Arbitrary<String> anyString = Arbitraries.strings().ofMaxLength(300);
        Arbitrary<String> json = Arbitraries.oneOf(
                anyString.map(aud -> json(Map.of("aud", aud))),
                Arbitraries.integers().between(257, 20_000).map(n -> "{\"aud\":\"" + "a".repeat(n) + "\"}"),
                Arbitraries.of("7", "true", "[]", "{}", "null", "1.5e300", "\"x\"", "-0", "\"\\u0000\"", "\"\\ud800\"",
                        "\"a\\u0009b\"", "\"\\u00e9\"", "1e999999", "\"" + "\\\\".repeat(100) + "\"").map(v -> "{\"aud\":" + v + "}"),
                Arbitraries.of("\"true\"", "1", "0", "[]", "{}", "\"\"").map(v -> "{\"aws_principal_tags\":" + v + "}"),
                Combinators.combine(anyString, anyString).as((k, v) -> json(Map.of(k, v))),
                Arbitraries.of("{\"aud\":\"a\",\"aud\":\"b\"}", "{} x", "{}{}", "{", "}", "[", "{\"aud\"}", "{\"aud\":}",
                        "{'aud':'x'}", "{\"aud\":\"x\",}", "\ufeff{}", "{\"x\":" + "1".repeat(10_000) + "}", " ", "\t\r\n"),
                Arbitraries.integers().between(1, 5_000).map(depth -> "[".repeat(depth) + "]".repeat(depth)),
                Arbitraries.integers().between(1, 5_000).map(depth -> "{\"a\":".repeat(depth) + "1" + "}".repeat(depth)));
        Arbitrary<byte[]> badUtf8 = Arbitraries.of(new byte[] {(byte) 0xC0, (byte) 0xAF}, new byte[] {(byte) 0xED, (byte) 0xA0, (byte) 0x80},
                        new byte[] {(byte) 0x80}, new byte[] {(byte) 0xE2, (byte) 0x82}, new byte[] {(byte) 0xFF},
                        new byte[] {(byte) 0xF8, (byte) 0x88, (byte) 0x80, (byte) 0x80, (byte) 0x80},
                        new byte[] {(byte) 0xF4, (byte) 0x90, (byte) 0x80, (byte) 0x80}, new byte[] {0})
                .map(bad -> concat(bytes("{\"aud\":\"a"), bad, bytes("b\"}")));
        return Arbitraries.oneOf(json.map(MalformedRequestsTest::bytes), badUtf8,
                Arbitraries.bytes().array(byte[].class).ofMaxSize(400),
                Arbitraries.integers().between(16_000, 70_000).map(n -> bytes("{\"aud\":\"x\"}" + " ".repeat(n))));
    }

    @Provide
    Arbitrary<byte[]> framings() {
        String head = POST_LINE + "Host: localhost\r\n";
        Arbitrary<String> chunkSize = Arbitraries.oneOf(
                Arbitraries.of("2", "0", "zz", "-1", "FFFFFFFFFFFFFFFF", "2;ext=1", "2 ", " 2", "", "1000000", "0x2"),
                Arbitraries.strings().withCharRange('!', '~').ofMaxLength(10));
        Arbitrary<String> chunkData = Arbitraries.of("{}", "{", "", "{}\r\n", "{\"aud\":\"x\"}", "x".repeat(20_000));
        Arbitrary<String> ending = Arbitraries.of("0\r\n\r\n", "", "0\r\n", "0\r\nX-Trailer: v\r\n\r\n", "0\r\nbad trailer\r\n\r\n",
                "garbage", "0\r\n\r\nGET / HTTP/1.1\r\n\r\n");
        Arbitrary<String> chunked = Combinators.combine(chunkSize, chunkData, ending)
                .as((size, data, end) -> head + "Transfer-Encoding: chunked\r\n\r\n" + size + "\r\n" + data + "\r\n" + end);
        Arbitrary<String> lengthMismatch = Combinators.combine(Arbitraries.integers().between(0, 40), chunkData)
                .as((length, data) -> head + "Content-Length: " + length + "\r\n\r\n" + data);
        Arbitrary<String> both = Combinators.combine(Arbitraries.integers().between(0, 40), chunkSize, chunkData)
                .as((length, size, data) -> head + "Content-Length: " + length + "\r\nTransfer-Encoding: chunked\r\n\r\n"
                        + size + "\r\n" + data + "\r\n0\r\n\r\n");
        Arbitrary<String> pipelined = Combinators.combine(chunkData, Arbitraries.strings().ofMaxLength(60))
                .as((data, next) -> head + "Content-Length: 2\r\n\r\n{}" + data + next + "\r\n\r\n");
        return Arbitraries.oneOf(chunked, lengthMismatch, both, pipelined).map(MalformedRequestsTest::bytes);
    }

    private static byte[] concat(byte[]... parts) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (byte[] part : parts) {
            out.writeBytes(part);
        }
        return out.toByteArray();
    }
}
