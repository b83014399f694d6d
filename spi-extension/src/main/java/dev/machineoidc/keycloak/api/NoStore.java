package dev.machineoidc.keycloak.api;

import jakarta.ws.rs.core.CacheControl;

/** {@code Cache-Control: no-store}, for answers that hold a token or may change at any time. */
public final class NoStore {

    private NoStore() {
    }

    public static CacheControl cacheControl() {
        CacheControl cacheControl = new CacheControl();
        cacheControl.setNoStore(true);
        return cacheControl;
    }
}
