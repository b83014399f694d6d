package dev.machineoidc.bridge.api;

import dev.machineoidc.bridge.mint.MintException;
import dev.machineoidc.bridge.mint.TokenMinter;
import dev.machineoidc.bridge.mint.TokenRequest;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

/** Hands out token-1, token-2… or throws what the test told it to. */
final class FakeMinter implements TokenMinter {

    final List<TokenRequest> requests = new CopyOnWriteArrayList<>();
    private final AtomicInteger counter = new AtomicInteger();
    private volatile Exception failure;

    void failWith(Exception e) {
        failure = e;
    }

    @Override
    public String mint(TokenRequest request) throws MintException {
        requests.add(request);
        Exception e = failure;
        if (e instanceof MintException mintException) {
            throw mintException;
        }
        if (e instanceof RuntimeException runtimeException) {
            throw runtimeException;
        }
        return "eyJhbGciOiJSUzI1NiJ9.eyJqdGkiOiI" + counter.incrementAndGet() + "In0.c2ln";
    }
}
