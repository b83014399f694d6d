package dev.machineoidc.bridge.api;

import dev.machineoidc.bridge.config.FileMode;
import dev.machineoidc.bridge.mint.TokenMinter;
import dev.machineoidc.bridge.socket.SocketServer;
import dev.machineoidc.bridge.status.BridgeStatus;
import java.net.URI;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

/** The socket API's two servlets on a real unix socket, wired as {@code Bridge} wires them. */
final class ApiSocket {

    static final String MACHINE = "148e21ea7e46e8";
    /** For tests that do not look at the status view. */
    static final BridgeStatus NO_STATUS = new BridgeStatus(MACHINE, "acme", () -> URI.create("http://kc:8080"),
            Optional::empty, List.of());

    private ApiSocket() {
    }

    /** @return the started server, its socket at {@code dir/api} */
    static SocketServer start(Path dir, TokenMinter minter, CallerGate gate, StatusCounter answers,
                              BridgeStatus status) throws Exception {
        ErrorBody errorBody = new ErrorBody();
        SocketServer server = new SocketServer(dir.resolve("api"), FileMode.parseOctal("0660"),
                new TokenServlet(minter, gate, MACHINE, errorBody, answers), errorBody);
        server.serve(StatusServlet.PATH, new StatusServlet(status, gate, MACHINE, errorBody));
        server.start();
        return server;
    }
}
