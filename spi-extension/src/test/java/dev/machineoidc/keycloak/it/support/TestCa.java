package dev.machineoidc.keycloak.it.support;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A certificate authority made for one test run with Debian's openssl, and a certificate for 127.0.0.1 it signed. Only
 * a client pointed at {@link #caCertificate()} trusts it; nothing is added to the system's trust store.
 */
public record TestCa(Path caCertificate, Path serverCertificate, Path serverKey) {

    public static TestCa create(Path dir) throws IOException {
        Files.createDirectories(dir);
        TestCa ca = new TestCa(dir.resolve("ca.pem"), dir.resolve("server.pem"), dir.resolve("server.key"));
        Path caKey = dir.resolve("ca.key");
        Path request = dir.resolve("server.csr");
        Path extensions = dir.resolve("server.ext");
        Files.writeString(extensions, "subjectAltName=IP:127.0.0.1\nbasicConstraints=CA:FALSE\nextendedKeyUsage=serverAuth\n");
        openssl(dir, "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "1", "-subj", "/CN=machine-oidc test CA",
                "-addext", "basicConstraints=critical,CA:TRUE", "-addext", "keyUsage=critical,keyCertSign,cRLSign",
                "-keyout", caKey.toString(), "-out", ca.caCertificate().toString());
        openssl(dir, "req", "-newkey", "rsa:2048", "-nodes", "-subj", "/CN=127.0.0.1",
                "-keyout", ca.serverKey().toString(), "-out", request.toString());
        openssl(dir, "x509", "-req", "-days", "1", "-in", request.toString(), "-CA", ca.caCertificate().toString(),
                "-CAkey", caKey.toString(), "-CAcreateserial", "-extfile", extensions.toString(),
                "-out", ca.serverCertificate().toString());
        return ca;
    }

    private static void openssl(Path dir, String... arguments) throws IOException {
        List<String> command = new ArrayList<>(List.of("openssl"));
        command.addAll(List.of(arguments));
        Process process = new ProcessBuilder(command).directory(dir.toFile()).redirectErrorStream(true).start();
        try {
            String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (!process.waitFor(60, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                throw new IllegalStateException("openssl " + String.join(" ", arguments) + " did not finish");
            }
            if (process.exitValue() != 0) {
                throw new IllegalStateException("openssl " + String.join(" ", arguments) + " failed: " + output);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
