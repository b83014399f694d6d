package dev.machineoidc.bridge.peer;

import jakarta.servlet.http.HttpServletRequest;
import java.io.IOException;
import java.nio.channels.NetworkChannel;
import java.util.Optional;
import jdk.net.ExtendedSocketOptions;
import jdk.net.UnixDomainPrincipal;
import org.eclipse.jetty.ee10.servlet.ServletContextRequest;

/**
 * The user and group of the process that connected, as the kernel recorded them at {@code connect()}
 * ({@code SO_PEERCRED}): nothing the caller sends can change them.
 */
final class PeerCredentials {

    private PeerCredentials() {
    }

    static Optional<UnixDomainPrincipal> of(HttpServletRequest request) {
        ServletContextRequest jettyRequest = ServletContextRequest.getServletContextRequest(request);
        if (jettyRequest == null) {
            return Optional.empty();
        }
        Object transport = jettyRequest.getConnectionMetaData().getConnection().getEndPoint().getTransport();
        if (!(transport instanceof NetworkChannel channel)) {
            return Optional.empty();
        }
        try {
            return Optional.ofNullable(channel.getOption(ExtendedSocketOptions.SO_PEERCRED));
        } catch (IOException | UnsupportedOperationException e) {
            return Optional.empty();
        }
    }
}
