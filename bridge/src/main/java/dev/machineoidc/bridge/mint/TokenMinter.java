package dev.machineoidc.bridge.mint;

/** Obtains a freshly signed token for the machine. Implementations never cache tokens. */
public interface TokenMinter {

    /**
     * @return the compact JWT
     * @throws MintException when no token can be had; its message is safe to show to the caller
     */
    String mint(TokenRequest request) throws MintException;
}
