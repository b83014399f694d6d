package dev.machineoidc.bridge.identity;

import com.nimbusds.jose.jwk.ECKey;
import java.util.Objects;

/**
 * The machine's enrolled identity: its private key and the client Keycloak knows it as.
 * {@link #toString()} never prints the key.
 */
public record MachineIdentity(ECKey key, Registration registration) {

    public MachineIdentity {
        Objects.requireNonNull(key, "key");
        Objects.requireNonNull(registration, "registration");
        if (!key.isPrivate()) {
            throw new IllegalArgumentException("the machine key must include its private part");
        }
    }

    @Override
    public String toString() {
        return "MachineIdentity[client=" + registration.clientId() + ", kid=" + key.getKeyID() + "]";
    }
}
