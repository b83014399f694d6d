package dev.machineoidc.bench.http1;

/**
 * An HTTP/1.1 answer as the fleet reads it.
 *
 * @param keepAlive whether the connection may carry the next request
 */
public record Http11Response(int status, String body, boolean keepAlive) {

    /** For error messages: the status and the start of the body. */
    public String describe() {
        return "HTTP " + status + ": " + (body.length() > 200 ? body.substring(0, 200) + "…" : body);
    }
}
