package dev.machineoidc.keycloak.signing;

import com.amazon.corretto.crypto.provider.AmazonCorrettoCryptoProvider;

import java.security.Provider;
import java.util.Optional;

/**
 * AWS-LC through ACCP, which this jar bundles. Only asked for by name: it is never registered JVM-wide, so Keycloak's
 * own TLS, tokens and everything else keep the JDK's providers.
 */
final class NativeCrypto {

    private NativeCrypto() {
    }

    /** ACCP's provider when its native library loaded on this machine. */
    static Optional<Provider> provider() {
        return unavailableReason().isEmpty() ? Optional.of(AmazonCorrettoCryptoProvider.INSTANCE) : Optional.empty();
    }

    /** Why ACCP cannot sign here, or empty when it can. */
    static Optional<String> unavailableReason() {
        try {
            return Optional.ofNullable(AmazonCorrettoCryptoProvider.INSTANCE.getLoadingError())
                    .map(error -> "AWS-LC's native library did not load: " + error);
        } catch (LinkageError e) {
            // ACCP's classes themselves failed to load or initialise: a broken jar, not a missing native library.
            return Optional.of("ACCP's classes did not load: " + e);
        }
    }
}
