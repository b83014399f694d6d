package dev.machineoidc.bench.http1;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.is;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.ByteArrayInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.net.ProtocolException;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class Http11ResponseReaderTest {

    private static InputStream stream(String text) {
        return new ByteArrayInputStream(text.getBytes(StandardCharsets.UTF_8));
    }

    private static Http11Response read(String text) throws IOException {
        return Http11ResponseReader.read(stream(text));
    }

    @Test
    void bodyByContentLengthLeavesTheNextAnswerUnread() throws IOException {
        InputStream in = stream("HTTP/1.1 200 OK\r\nContent-Type: application/json\r\ncontent-length: 13\r\n\r\n"
                + "{\"token\":\"x\"}HTTP/1.1 401 Unauthorized\r\nContent-Length: 0\r\n\r\n");

        assertThat(Http11ResponseReader.read(in), is(new Http11Response(200, "{\"token\":\"x\"}", true)));
        assertThat(Http11ResponseReader.read(in), is(new Http11Response(401, "", true)));
    }

    @Test
    void chunkedBodyWithExtensionsAndTrailers() throws IOException {
        Http11Response response = read("HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n"
                + "5;name=value\r\nhello\r\nA\r\n, chunked!\r\n0\r\nTrailer: x\r\n\r\n");

        assertThat(response, is(new Http11Response(200, "hello, chunked!", true)));
    }

    @Test
    void connectionCloseAndHttp10EndTheConnection() throws IOException {
        assertThat(read("HTTP/1.1 200 OK\r\nConnection: keep-alive, close\r\nContent-Length: 2\r\n\r\nok").keepAlive(), is(false));
        assertThat(read("HTTP/1.0 200 OK\r\nContent-Length: 2\r\n\r\nok").keepAlive(), is(false));
        assertThat(read("HTTP/1.0 200 OK\r\nConnection: Keep-Alive\r\nContent-Length: 2\r\n\r\nok").keepAlive(), is(true));
    }

    @Test
    void withoutLengthTheBodyRunsToTheEndOfTheConnection() throws IOException {
        assertThat(read("HTTP/1.1 200 OK\r\n\r\nall of it"), is(new Http11Response(200, "all of it", false)));
    }

    @Test
    void interimAnswersAreSkippedAndNoContentHasNoBody() throws IOException {
        assertThat(read("HTTP/1.1 100 Continue\r\n\r\nHTTP/1.1 204 No Content\r\n\r\n"), is(new Http11Response(204, "", true)));
    }

    @Test
    void bareLineFeedsAndAStatusLineWithoutReasonAreRead() throws IOException {
        assertThat(read("HTTP/1.1 200\nContent-Length: 2\n\nok"), is(new Http11Response(200, "ok", true)));
    }

    @Test
    void anEmptyStreamIsAConnectionClosedWithoutAnAnswer() {
        EOFException closed = assertThrows(EOFException.class, () -> read(""));
        assertThat(closed.getMessage(), containsString("closed without an answer"));
    }

    @Test
    void aTruncatedAnswerIsAnEndOfStream() {
        assertThat(assertThrows(EOFException.class, () -> read("HTTP/1.1 200 OK\r\nContent-Length: 10\r\n\r\nshort")).getMessage(),
                containsString("5 of 10 bytes"));
        assertThrows(EOFException.class, () -> read("HTTP/1.1 200 OK\r\nContent-Len"));
        assertThrows(EOFException.class, () -> read("HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n5\r\nhel"));
    }

    @Test
    void malformedAnswersSayWhatIsWrong() {
        assertMalformed("SSH-2.0-OpenSSH_9.2\r\n\r\n", "not an HTTP/1.x status line");
        assertMalformed("HTTP/1.1 2x0 OK\r\n\r\n", "not a status code");
        assertMalformed("HTTP/1.1 200 OK\r\nno colon here\r\n\r\n", "not a header line");
        assertMalformed("HTTP/1.1 200 OK\r\nContent-Length: -1\r\n\r\n", "not a Content-Length");
        assertMalformed("HTTP/1.1 200 OK\r\nContent-Length: 2\r\nContent-Length: 3\r\n\r\nok", "two different Content-Length");
        assertMalformed("HTTP/1.1 200 OK\r\nTransfer-Encoding: gzip\r\n\r\n", "unsupported Transfer-Encoding");
        assertMalformed("HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\n", "not a chunk size");
        assertMalformed("HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n2\r\nokay\r\n0\r\n\r\n", "a chunk longer than its size");
    }

    @Test
    void readsAreBounded() {
        assertMalformed("HTTP/1.1 200 OK\r\nContent-Length: " + (Http11ResponseReader.MAX_BODY + 1) + "\r\n\r\n", "more than");
        assertMalformed("HTTP/1.1 200 OK\r\nX: " + "a".repeat(Http11ResponseReader.MAX_LINE) + "\r\n\r\n", "a line longer than");
        assertMalformed("HTTP/1.1 200 OK\r\n" + "X: y\r\n".repeat(Http11ResponseReader.MAX_HEADERS + 1) + "\r\n", "more than 100 headers");
    }

    private static void assertMalformed(String answer, String message) {
        assertThat(assertThrows(ProtocolException.class, () -> read(answer)).getMessage(), containsString(message));
    }
}
