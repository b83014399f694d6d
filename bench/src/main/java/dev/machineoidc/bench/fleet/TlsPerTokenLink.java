package dev.machineoidc.bench.fleet;

import dev.machineoidc.bench.http1.Http11Connection;
import dev.machineoidc.bench.http1.Http11Post;
import dev.machineoidc.bench.http1.Http11Response;
import java.io.IOException;
import java.net.InetSocketAddress;
import javax.net.ssl.SSLSocket;

/**
 * A new TLS connection per token, through the member's own TLS client (so a resumption of its own last session),
 * closed after the answer: each member is another host, with nothing to share a connection with.
 */
final class TlsPerTokenLink implements Link {

    private final InetSocketAddress keycloak;
    private final String host;
    private final Handshakes handshakes;

    TlsPerTokenLink(InetSocketAddress keycloak, Handshakes handshakes) {
        this.keycloak = keycloak;
        this.host = keycloak.getHostString() + ":" + keycloak.getPort();
        this.handshakes = handshakes;
    }

    @Override
    public Http11Response exchange(FleetMember member, Http11Post request) throws IOException {
        TlsClient tls = member.tls();
        long fullBefore = tls.fullHandshakes();
        try (SSLSocket socket = tls.connect(keycloak.getHostString(), keycloak.getPort())) {
            // No other worker holds this member (Rotation), so its count moved only for this handshake.
            handshakes.record(tls.fullHandshakes() == fullBefore);
            return new Http11Connection(socket, host).exchange(request, true);
        }
    }

    @Override
    public void close() {
        // nothing outlives an exchange
    }
}
