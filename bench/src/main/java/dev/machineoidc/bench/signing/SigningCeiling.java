package dev.machineoidc.bench.signing;

import dev.machineoidc.bench.report.Ceiling;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PrivateKey;
import java.security.Provider;
import java.security.Signature;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.LongAdder;

/**
 * This JVM's raw RS256 rate with a 2048-bit key, per JCA provider and thread count: the bound on any mint path
 * that signs once per token. Each signature is initialised afresh, as a mint's is, with the key held in the
 * provider's own form as the mint path holds it (a JDK key handed to a native provider is converted on every call).
 */
public final class SigningCeiling {

    private static final byte[] SIGNING_INPUT = ("eyJhbGciOiJSUzI1NiIsImtpZCI6ImJlbmNoIiwidHlwIjoiSldUIn0."
            + "x".repeat(700)).getBytes(StandardCharsets.US_ASCII);

    private final PrivateKey key;

    public SigningCeiling() throws GeneralSecurityException {
        KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
        generator.initialize(2048);
        KeyPair pair = generator.generateKeyPair();
        this.key = pair.getPrivate();
    }

    /** Signs on {@code threads} threads for {@code warmUp}, then counts signatures over {@code measured}. */
    public Ceiling measure(Provider provider, int threads, Duration warmUp, Duration measured)
            throws GeneralSecurityException, InterruptedException {
        PrivateKey providerKey = (PrivateKey) KeyFactory.getInstance("RSA", provider).translateKey(key);
        run(provider, providerKey, threads, warmUp);
        return new Ceiling(provider.getName(), threads,
                run(provider, providerKey, threads, measured) / (measured.toNanos() / 1e9));
    }

    private long run(Provider provider, PrivateKey key, int threads, Duration length) throws InterruptedException {
        LongAdder signatures = new LongAdder();
        AtomicBoolean stop = new AtomicBoolean();
        List<Thread> workers = new ArrayList<>();
        List<Throwable> failures = Collections.synchronizedList(new ArrayList<>());
        for (int i = 0; i < threads; i++) {
            Thread worker = new Thread(() -> {
                try {
                    while (!stop.get()) {
                        Signature signature = Signature.getInstance("SHA256withRSA", provider);
                        signature.initSign(key);
                        signature.update(SIGNING_INPUT);
                        signature.sign();
                        signatures.increment();
                    }
                } catch (GeneralSecurityException | RuntimeException e) {
                    failures.add(e);
                }
            }, "rs256-" + provider.getName() + "-" + i);
            workers.add(worker);
            worker.start();
        }
        Thread.sleep(length.toMillis());
        stop.set(true);
        for (Thread worker : workers) {
            worker.join();
        }
        if (!failures.isEmpty()) {
            throw new IllegalStateException("RS256 with " + provider.getName() + " failed: " + failures.get(0), failures.get(0));
        }
        return signatures.sum();
    }
}
