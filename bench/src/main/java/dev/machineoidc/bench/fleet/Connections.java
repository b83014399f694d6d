package dev.machineoidc.bench.fleet;

import java.net.InetSocketAddress;
import java.net.URI;
import java.util.function.Supplier;

/** How the workers of a fleet load reach Keycloak; the same for both sides of a comparison. */
public final class Connections {

    private final Supplier<Link> links;

    private Connections(Supplier<Link> links) {
        this.links = links;
    }

    /** One plain HTTP connection per worker, kept alive for whichever member is next. */
    public static Connections keptAlive(URI keycloak) {
        InetSocketAddress address = address(keycloak);
        return new Connections(() -> new KeptAliveLink(address));
    }

    /** A new TLS connection per token through the member's own TLS client; {@code handshakes} counts them. */
    public static Connections tlsPerToken(URI keycloak, Handshakes handshakes) {
        InetSocketAddress address = address(keycloak);
        return new Connections(() -> new TlsPerTokenLink(address, handshakes));
    }

    Link open() {
        return links.get();
    }

    private static InetSocketAddress address(URI keycloak) {
        return new InetSocketAddress(keycloak.getHost(), keycloak.getPort());
    }
}
