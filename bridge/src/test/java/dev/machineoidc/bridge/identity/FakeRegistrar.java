package dev.machineoidc.bridge.identity;

import com.nimbusds.jose.jwk.JWK;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/** Records what it was sent; refuses when told to. */
final class FakeRegistrar implements Registrar {

    final List<String> tokens = new CopyOnWriteArrayList<>();
    final List<JWK> keys = new CopyOnWriteArrayList<>();
    volatile boolean refuse;

    @Override
    public Registration register(String enrollmentToken, JWK publicKey) throws EnrollmentException {
        tokens.add(enrollmentToken);
        keys.add(publicKey);
        if (refuse) {
            throw new EnrollmentException("the enrollment token was refused");
        }
        return new Registration("machine-148e21ea7e46e8");
    }
}
