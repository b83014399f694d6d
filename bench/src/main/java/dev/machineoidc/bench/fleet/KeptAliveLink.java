package dev.machineoidc.bench.fleet;

import dev.machineoidc.bench.http1.Http11Connection;
import dev.machineoidc.bench.http1.Http11Post;
import dev.machineoidc.bench.http1.Http11Response;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;

/**
 * The worker's one plain HTTP connection, kept alive and used for whichever member is next, as a pooled client
 * would; a new one only when Keycloak closed it or an exchange failed.
 */
final class KeptAliveLink implements Link {

    private static final int TIMEOUT_MILLIS = 10_000;

    private final InetSocketAddress keycloak;
    private final String host;
    private Http11Connection connection;

    KeptAliveLink(InetSocketAddress keycloak) {
        this.keycloak = keycloak;
        this.host = keycloak.getHostString() + ":" + keycloak.getPort();
    }

    @Override
    public Http11Response exchange(FleetMember member, Http11Post request) throws IOException {
        if (connection == null || !connection.reusable()) {
            close();
            connection = connect();
        }
        return connection.exchange(request, false);
    }

    private Http11Connection connect() throws IOException {
        Socket socket = new Socket();
        try {
            socket.setTcpNoDelay(true);
            socket.setSoTimeout(TIMEOUT_MILLIS);
            socket.connect(keycloak, TIMEOUT_MILLIS);
            return new Http11Connection(socket, host);
        } catch (IOException e) {
            socket.close();
            throw e;
        }
    }

    @Override
    public void close() {
        if (connection != null) {
            try {
                connection.close();
            } catch (IOException e) {
                // a connection that fails to close is gone all the same
            }
            connection = null;
        }
    }
}
