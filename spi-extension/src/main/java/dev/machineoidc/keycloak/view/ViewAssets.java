package dev.machineoidc.keycloak.view;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Map;
import java.util.Optional;

/**
 * The view's files, served from the provider jar: a fixed list, so a request names one of these or nothing (no path
 * from the request ever reaches the class loader), and the headers every one of them is served with.
 */
public final class ViewAssets {

    public static final String INDEX = "index.html";

    /**
     * Only the jar's own script, style and same-origin calls (Keycloak's token endpoint and admin API): no inline
     * script, no other origin, no framing (the page holds an admin's token).
     */
    public static final String CONTENT_SECURITY_POLICY = "default-src 'none'; script-src 'self'; style-src 'self'; "
            + "img-src 'self'; connect-src 'self'; form-action 'self'; base-uri 'none'; frame-ancestors 'none'";

    private static final String FOLDER = "/machine-oidc-view/";
    private static final Map<String, String> CONTENT_TYPES = Map.of(
            INDEX, "text/html; charset=utf-8",
            "view.js", "text/javascript; charset=utf-8",
            "view.css", "text/css; charset=utf-8");

    private ViewAssets() {
    }

    /** The asset of that name, with its content type; empty for any other name. */
    public static Optional<Asset> find(String name) {
        String type = CONTENT_TYPES.get(name);
        if (type == null) {
            return Optional.empty();
        }
        try (InputStream in = ViewAssets.class.getResourceAsStream(FOLDER + name)) {
            if (in == null) {
                throw new IllegalStateException("the provider jar lacks " + FOLDER + name);
            }
            return Optional.of(new Asset(type, in.readAllBytes()));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public record Asset(String contentType, byte[] content) {
    }
}
