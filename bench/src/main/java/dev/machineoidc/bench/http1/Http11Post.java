package dev.machineoidc.bench.http1;

import java.nio.charset.StandardCharsets;
import java.util.Optional;

/**
 * One POST as HTTP/1.1 bytes: the request line, {@code Host}, an optional {@code Authorization}, the body's type
 * and length, and {@code Connection: close} when the connection ends with it.
 *
 * @param path e.g. {@code /realms/acme/machine-oidc/tokens}
 * @param authorization the header's value, e.g. {@code Bearer <jws>}
 */
public record Http11Post(String path, Optional<String> authorization, String contentType, String body) {

    /** The whole request in one buffer, so that it goes out in one write (one TLS record, one segment). */
    public byte[] encode(String host, boolean closeAfter) {
        byte[] content = body.getBytes(StandardCharsets.UTF_8);
        StringBuilder head = new StringBuilder(256 + path.length())
                .append("POST ").append(path).append(" HTTP/1.1\r\n")
                .append("Host: ").append(host).append("\r\n");
        authorization.ifPresent(value -> head.append("Authorization: ").append(value).append("\r\n"));
        head.append("Content-Type: ").append(contentType).append("\r\n")
                .append("Content-Length: ").append(content.length).append("\r\n");
        if (closeAfter) {
            head.append("Connection: close\r\n");
        }
        head.append("\r\n");
        byte[] headBytes = head.toString().getBytes(StandardCharsets.ISO_8859_1);
        byte[] request = new byte[headBytes.length + content.length];
        System.arraycopy(headBytes, 0, request, 0, headBytes.length);
        System.arraycopy(content, 0, request, headBytes.length, content.length);
        return request;
    }
}
