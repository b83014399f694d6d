package dev.machineoidc.bench.setup;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.X509Certificate;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * The self-signed certificate Keycloak serves HTTPS with in a benchmark run, for 127.0.0.1 and localhost, made by
 * the JDK's keytool: an EC P-256 key, as a new deployment would choose. Only the fleet's TLS clients trust it.
 */
final class BenchCertificate {

    /** Protects nothing: a throwaway key, made anew for every run. */
    private static final String PASSWORD = "bench-only";
    private static final String ALIAS = "keycloak";
    private static final long KEYTOOL_TIMEOUT_SECONDS = 60;

    private final Path keyStore;
    private final X509Certificate certificate;

    private BenchCertificate(Path keyStore, X509Certificate certificate) {
        this.keyStore = keyStore;
        this.certificate = certificate;
    }

    /** A new key and certificate in {@code dir/keycloak.p12}. */
    static BenchCertificate create(Path dir) throws IOException, InterruptedException, GeneralSecurityException {
        Files.createDirectories(dir);
        Path keyStore = dir.resolve("keycloak.p12").toAbsolutePath();
        Files.deleteIfExists(keyStore);
        Path keytool = Path.of(System.getProperty("java.home"), "bin", "keytool");
        Process process = new ProcessBuilder(List.of(keytool.toString(), "-genkeypair", "-keystore", keyStore.toString(),
                "-storetype", "PKCS12", "-storepass", PASSWORD, "-alias", ALIAS, "-keyalg", "EC", "-groupname", "secp256r1",
                "-dname", "CN=localhost", "-ext", "SAN=ip:127.0.0.1,dns:localhost", "-validity", "30"))
                .redirectErrorStream(true)
                .start();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!process.waitFor(KEYTOOL_TIMEOUT_SECONDS, TimeUnit.SECONDS) || process.exitValue() != 0) {
            process.destroyForcibly();
            throw new IOException("keytool could not make the benchmark's certificate: " + output.strip());
        }
        KeyStore store = KeyStore.getInstance("PKCS12");
        try (InputStream in = Files.newInputStream(keyStore)) {
            store.load(in, PASSWORD.toCharArray());
        }
        return new BenchCertificate(keyStore, (X509Certificate) store.getCertificate(ALIAS));
    }

    X509Certificate certificate() {
        return certificate;
    }

    /** Keycloak's options to serve HTTPS on {@code port} with this certificate, beside its plain HTTP port. */
    List<String> keycloakOptions(int port) {
        if (keyStore.toString().matches(".*\\s.*")) {
            throw new IllegalStateException("Keycloak's options are split at whitespace: the key store path must have none, "
                    + "not " + keyStore);
        }
        return List.of("--https-port=" + port, "--https-key-store-file=" + keyStore, "--https-key-store-password=" + PASSWORD);
    }
}
