package dev.machineoidc.bridge.testing;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/** One HTTP/1.1 answer as the bytes on the wire said it: status, headers (names lower-cased), body. */
public record RawResponse(int status, Map<String, String> headers, String body, int length) {

    /**
     * The first answer in {@code bytes} once it is complete: its head, then a body of its Content-Length (an answer
     * without one, or chunked, counts as complete only with what follows; the bridge always sends a length).
     */
    static Optional<RawResponse> parseComplete(byte[] bytes) {
        String text = new String(bytes, StandardCharsets.ISO_8859_1);
        int headEnd = text.indexOf("\r\n\r\n");
        if (headEnd < 0) {
            return Optional.empty();
        }
        String[] lines = text.substring(0, headEnd).split("\r\n");
        String[] statusLine = lines[0].split(" ", 3);
        if (statusLine.length < 2 || !statusLine[0].startsWith("HTTP/1.")) {
            throw new AssertionError("not an HTTP/1.x status line: " + lines[0]);
        }
        Map<String, String> headers = new LinkedHashMap<>();
        for (int i = 1; i < lines.length; i++) {
            int colon = lines[i].indexOf(':');
            if (colon <= 0) {
                throw new AssertionError("malformed header line: " + lines[i]);
            }
            headers.put(lines[i].substring(0, colon).strip().toLowerCase(Locale.ROOT), lines[i].substring(colon + 1).strip());
        }
        String declared = headers.get("content-length");
        if (declared == null) {
            throw new AssertionError("an answer without Content-Length: " + text.substring(0, headEnd));
        }
        int bodyStart = headEnd + 4;
        int length = Integer.parseInt(declared);
        if (bytes.length < bodyStart + length) {
            return Optional.empty();
        }
        String body = new String(bytes, bodyStart, length, StandardCharsets.UTF_8);
        return Optional.of(new RawResponse(Integer.parseInt(statusLine[1]), headers, body, bodyStart + length));
    }

    /** Parses what a server sent in all, e.g. before it closed; empty when it sent nothing. */
    public static Optional<RawResponse> parse(byte[] bytes) {
        List<RawResponse> answers = parseAll(bytes);
        if (answers.size() > 1) {
            throw new AssertionError("more than one answer: " + answers);
        }
        return answers.stream().findFirst();
    }

    /** Every answer a server sent, in order; fails on anything but complete answers. */
    public static List<RawResponse> parseAll(byte[] bytes) {
        List<RawResponse> answers = new ArrayList<>();
        int offset = 0;
        while (offset < bytes.length) {
            byte[] rest = Arrays.copyOfRange(bytes, offset, bytes.length);
            RawResponse answer = parseComplete(rest).orElseThrow(() -> new AssertionError(
                    "an incomplete answer: " + new String(rest, StandardCharsets.ISO_8859_1)));
            answers.add(answer);
            offset += answer.length();
        }
        return answers;
    }

    public String header(String name) {
        return headers.get(name.toLowerCase(Locale.ROOT));
    }
}
