package dev.machineoidc.bench.signing;

import com.amazon.corretto.crypto.provider.AmazonCorrettoCryptoProvider;
import java.security.Provider;
import java.security.Signature;
import java.util.ArrayList;
import java.util.List;

/** The JCA providers whose RS256 the benchmark measures: the JDK's, and AWS-LC's through ACCP where it loads. */
public final class Providers {

    private Providers() {
    }

    public static List<Provider> rs256() throws Exception {
        List<Provider> providers = new ArrayList<>();
        providers.add(Signature.getInstance("SHA256withRSA").getProvider());
        if (AmazonCorrettoCryptoProvider.INSTANCE.getLoadingError() == null) {
            providers.add(AmazonCorrettoCryptoProvider.INSTANCE);
        } else {
            System.out.println("ACCP did not load, measuring the JDK only: " + AmazonCorrettoCryptoProvider.INSTANCE.getLoadingError());
        }
        return providers;
    }
}
