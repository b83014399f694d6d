package dev.machineoidc.keycloak.api;

/** {@code Cache-Control: public, max-age=<seconds>}, for public answers that proxies and clients may keep a while. */
public final class PublicCache {

    private PublicCache() {
    }

    /** The header's value, written out: JAX-RS's {@code CacheControl} has no {@code public} directive of its own. */
    public static String forSeconds(int seconds) {
        return "public, max-age=" + seconds;
    }
}
