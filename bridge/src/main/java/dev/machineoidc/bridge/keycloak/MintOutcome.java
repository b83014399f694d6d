package dev.machineoidc.bridge.keycloak;

import dev.machineoidc.bridge.mint.MintException;

/** One caller's share of a batch: its token, or what it is told instead. */
@FunctionalInterface
interface MintOutcome {

    String token() throws MintException;

    static MintOutcome minted(String token) {
        return () -> token;
    }

    static MintOutcome failed(MintException failure) {
        return () -> {
            throw failure;
        };
    }

    /** A bug met while minting for others reaches each of them as it would have reached a lone caller. */
    static MintOutcome failed(RuntimeException failure) {
        return () -> {
            throw failure;
        };
    }
}
