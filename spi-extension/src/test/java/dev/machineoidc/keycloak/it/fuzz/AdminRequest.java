package dev.machineoidc.keycloak.it.fuzz;

import java.net.URI;
import java.net.http.HttpRequest;
import java.nio.charset.StandardCharsets;
import java.time.Duration;

/**
 * One generated request to the admin API. The path is relative to {@code /admin/realms/} and may name the fixture's
 * org and machine as {@value #ORG} and {@value #MACHINE}, filled in when the request is built; everything a generator
 * produced itself is percent-encoded already, so these placeholders cannot appear by chance ({@code {} is %7B).
 */
public record AdminRequest(String method, String path, String contentType, byte[] body) {

    public static final String ORG = "{org}";
    public static final String MACHINE = "{machine}";
    private static final int SHOWN_BODY_BYTES = 300;

    public HttpRequest build(String baseUrl, String org, String machineId, String bearer, Duration timeout) {
        String concrete = path.replace(ORG, org).replace(MACHINE, machineId);
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(baseUrl + "/admin/realms/" + concrete))
                .timeout(timeout)
                .header("Authorization", "Bearer " + bearer)
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofByteArray(body));
        if (contentType != null) {
            request.header("Content-Type", contentType);
        }
        return request.build();
    }

    /** What jqwik shows for a failing sample: the body cut short, bytes that are not printable ASCII escaped. */
    @Override
    public String toString() {
        StringBuilder shown = new StringBuilder(method).append(' ').append(path).append(" [").append(contentType).append("] ");
        if (body == null) {
            return shown.append("(no body)").toString();
        }
        shown.append(body.length).append(" bytes: ");
        for (int i = 0; i < Math.min(body.length, SHOWN_BODY_BYTES); i++) {
            int b = body[i] & 0xff;
            shown.append(b >= 0x20 && b < 0x7f ? String.valueOf((char) b) : String.format("\\x%02x", b));
        }
        return body.length > SHOWN_BODY_BYTES ? shown.append("…").toString() : shown.toString();
    }

    static byte[] utf8(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }
}
