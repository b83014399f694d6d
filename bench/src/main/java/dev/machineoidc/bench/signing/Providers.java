package dev.machineoidc.bench.signing;

import com.amazon.corretto.crypto.provider.AmazonCorrettoCryptoProvider;
import java.security.Provider;
import java.security.Security;
import java.util.ArrayList;
import java.util.List;

/** The JCA providers whose RS256 the benchmark measures: the JDK's, and AWS-LC's through ACCP where it loads. */
public final class Providers {

    private Providers() {
    }

    /**
     * Makes AWS-LC the load generator's first provider, for the TLS of its fleet clients in particular: they stand in
     * for other hosts, so the less of the shared cores their handshakes take, the more the figures are Keycloak's.
     * Both sides of every comparison connect through the same clients; Keycloak's own JVM is not touched.
     */
    public static void installForLoadGenerator() {
        if (AmazonCorrettoCryptoProvider.INSTANCE.getLoadingError() == null) {
            AmazonCorrettoCryptoProvider.install();
        } else {
            System.out.println("ACCP did not load: the load generator uses the JDK's crypto");
        }
    }

    public static List<Provider> rs256() throws Exception {
        List<Provider> providers = new ArrayList<>();
        // By name: the load generator itself runs with ACCP first (installForLoadGenerator), the JDK's stays the JDK's.
        providers.add(Security.getProvider("SunRsaSign"));
        if (AmazonCorrettoCryptoProvider.INSTANCE.getLoadingError() == null) {
            providers.add(AmazonCorrettoCryptoProvider.INSTANCE);
        } else {
            System.out.println("ACCP did not load, measuring the JDK only: " + AmazonCorrettoCryptoProvider.INSTANCE.getLoadingError());
        }
        return providers;
    }
}
