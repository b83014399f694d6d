package dev.machineoidc.bridge.peer;

import dev.machineoidc.bridge.api.Caller;
import dev.machineoidc.bridge.api.CallerGate;
import jakarta.servlet.http.HttpServletRequest;
import java.util.Optional;
import jdk.net.UnixDomainPrincipal;

/** Identifies callers by their socket peer credentials and applies the {@link PeerPolicy}. */
public final class PeerGate implements CallerGate {

    private final PeerPolicy policy;

    public PeerGate(PeerPolicy policy) {
        this.policy = policy;
    }

    @Override
    public Caller identify(HttpServletRequest request) {
        Optional<UnixDomainPrincipal> peer = PeerCredentials.of(request);
        String description = peer.map(p -> p.user().getName() + ":" + p.group().getName()).orElse("unknown");
        return new Caller(description, policy.allows(peer));
    }
}
