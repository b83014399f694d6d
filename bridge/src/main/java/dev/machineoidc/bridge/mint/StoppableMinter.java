package dev.machineoidc.bridge.mint;

import dev.machineoidc.bridge.mint.MintException.Kind;

/**
 * A minter the bridge can stop: once {@link #stop()} is called, a mint that gets no token in its time (Keycloak
 * unavailable) fails with {@code shutting_down}, so its caller learns why. Mints still go ahead: the socket stops
 * taking requests, and those it took are answered with their token when Keycloak gives one in time.
 */
public final class StoppableMinter implements TokenMinter {

    private final TokenMinter minter;
    private volatile boolean stopping;

    public StoppableMinter(TokenMinter minter) {
        this.minter = minter;
    }

    /** The one error of a stopping bridge, also answered by the socket to requests it no longer takes. */
    public static MintException shuttingDown() {
        return new MintException(Kind.UNAVAILABLE, "shutting_down", "the bridge is stopping; retry once it is back");
    }

    @Override
    public String mint(TokenRequest request) throws MintException {
        try {
            return minter.mint(request);
        } catch (MintException e) {
            throw stopping && e.kind() == Kind.UNAVAILABLE ? shuttingDown() : e;
        }
    }

    public void stop() {
        stopping = true;
    }
}
