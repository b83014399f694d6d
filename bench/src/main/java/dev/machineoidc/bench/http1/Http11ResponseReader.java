package dev.machineoidc.bench.http1;

import java.io.ByteArrayOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.net.ProtocolException;
import java.nio.charset.StandardCharsets;
import java.util.Locale;

/**
 * Reads one HTTP/1.1 response from a stream: the status line, the headers, and the body by
 * {@code Content-Length}, by chunks, or up to the end of the stream when it has neither. Interim (1xx) answers
 * are skipped. Lines, header count and body are capped, so a broken server costs a bounded read.
 */
public final class Http11ResponseReader {

    static final int MAX_LINE = 8 * 1024;
    static final int MAX_HEADERS = 100;
    static final int MAX_BODY = 1024 * 1024;

    private final InputStream in;

    private Http11ResponseReader(InputStream in) {
        this.in = in;
    }

    /** @param in preferably buffered: it is read a byte at a time up to the body */
    public static Http11Response read(InputStream in) throws IOException {
        return new Http11ResponseReader(in).response();
    }

    private Http11Response response() throws IOException {
        while (true) {
            String statusLine = line(true);
            if (!statusLine.startsWith("HTTP/1.") || statusLine.length() < 12 || statusLine.charAt(8) != ' '
                    || (statusLine.length() > 12 && statusLine.charAt(12) != ' ')) {
                throw new ProtocolException("not an HTTP/1.x status line: " + printable(statusLine));
            }
            int status = status(statusLine.substring(9, 12));
            Headers headers = headers();
            if (status / 100 == 1) {
                continue;
            }
            boolean keepAlive = statusLine.startsWith("HTTP/1.1")
                    ? !headers.connectionHas("close") : headers.connectionHas("keep-alive");
            if (status == 204 || status == 304) {
                return new Http11Response(status, "", keepAlive);
            }
            if (headers.transferEncoding != null) {
                if (!headers.transferEncoding.strip().toLowerCase(Locale.ROOT).endsWith("chunked")) {
                    throw new ProtocolException("unsupported Transfer-Encoding: " + printable(headers.transferEncoding));
                }
                return new Http11Response(status, text(chunked()), keepAlive);
            }
            if (headers.contentLength >= 0) {
                return new Http11Response(status, text(exactly(headers.contentLength)), keepAlive);
            }
            return new Http11Response(status, text(toEnd()), false);
        }
    }

    private static int status(String digits) throws ProtocolException {
        for (int i = 0; i < digits.length(); i++) {
            if (digits.charAt(i) < '0' || digits.charAt(i) > '9') {
                throw new ProtocolException("not a status code: " + printable(digits));
            }
        }
        return Integer.parseInt(digits);
    }

    /** The headers the framing depends on; the others are read and dropped. */
    private static final class Headers {
        long contentLength = -1;
        String transferEncoding;
        String connection = "";

        boolean connectionHas(String token) {
            for (String part : connection.split(",")) {
                if (part.strip().equalsIgnoreCase(token)) {
                    return true;
                }
            }
            return false;
        }
    }

    private Headers headers() throws IOException {
        Headers headers = new Headers();
        for (int count = 0; ; count++) {
            String line = line(false);
            if (line.isEmpty()) {
                return headers;
            }
            if (count == MAX_HEADERS) {
                throw new ProtocolException("more than " + MAX_HEADERS + " headers");
            }
            int colon = line.indexOf(':');
            if (colon <= 0) {
                throw new ProtocolException("not a header line: " + printable(line));
            }
            String name = line.substring(0, colon).strip().toLowerCase(Locale.ROOT);
            String value = line.substring(colon + 1).strip();
            switch (name) {
                case "content-length" -> {
                    long length = length(value);
                    if (headers.contentLength >= 0 && headers.contentLength != length) {
                        throw new ProtocolException("two different Content-Length headers");
                    }
                    headers.contentLength = length;
                }
                case "transfer-encoding" -> headers.transferEncoding =
                        headers.transferEncoding == null ? value : headers.transferEncoding + ", " + value;
                case "connection" -> headers.connection = headers.connection + "," + value;
                default -> { }
            }
        }
    }

    private static long length(String value) throws ProtocolException {
        if (value.isEmpty() || value.length() > 18 || !value.chars().allMatch(c -> c >= '0' && c <= '9')) {
            throw new ProtocolException("not a Content-Length: " + printable(value));
        }
        long length = Long.parseLong(value);
        if (length > MAX_BODY) {
            throw new ProtocolException("a body of " + length + " bytes, more than " + MAX_BODY);
        }
        return length;
    }

    private byte[] chunked() throws IOException {
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        while (true) {
            String sizeLine = line(false);
            int extension = sizeLine.indexOf(';');
            String hex = (extension < 0 ? sizeLine : sizeLine.substring(0, extension)).strip();
            long size;
            try {
                size = hex.isEmpty() || hex.length() > 8 ? -1 : Long.parseLong(hex, 16);
            } catch (NumberFormatException e) {
                size = -1;
            }
            if (size < 0) {
                throw new ProtocolException("not a chunk size: " + printable(sizeLine));
            }
            if (size == 0) {
                while (!line(false).isEmpty()) {
                    // trailer fields: nothing the fleet needs
                }
                return body.toByteArray();
            }
            if (body.size() + size > MAX_BODY) {
                throw new ProtocolException("a chunked body of more than " + MAX_BODY + " bytes");
            }
            body.write(exactly(size));
            if (!line(false).isEmpty()) {
                throw new ProtocolException("a chunk longer than its size");
            }
        }
    }

    private byte[] exactly(long length) throws IOException {
        byte[] bytes = in.readNBytes((int) length);
        if (bytes.length < length) {
            throw new EOFException("the body ended after " + bytes.length + " of " + length + " bytes");
        }
        return bytes;
    }

    private byte[] toEnd() throws IOException {
        byte[] bytes = in.readNBytes(MAX_BODY + 1);
        if (bytes.length > MAX_BODY) {
            throw new ProtocolException("a body of more than " + MAX_BODY + " bytes");
        }
        return bytes;
    }

    /** One line without its CRLF (or bare LF); {@code first}: the end of the stream before it is a closed connection. */
    private String line(boolean first) throws IOException {
        StringBuilder line = new StringBuilder(64);
        while (true) {
            int b = in.read();
            if (b < 0) {
                throw new EOFException(first && line.isEmpty() ? "the connection closed without an answer"
                        : "the answer ended inside a line");
            }
            if (b == '\n') {
                int end = line.length();
                if (end > 0 && line.charAt(end - 1) == '\r') {
                    line.setLength(end - 1);
                }
                return line.toString();
            }
            if (line.length() == MAX_LINE) {
                throw new ProtocolException("a line longer than " + MAX_LINE + " bytes");
            }
            line.append((char) b);
        }
    }

    private static String text(byte[] body) {
        return new String(body, StandardCharsets.UTF_8);
    }

    private static String printable(String text) {
        String shown = text.length() > 80 ? text.substring(0, 80) + "…" : text;
        return shown.replaceAll("[^\\x20-\\x7e]", "?");
    }
}
