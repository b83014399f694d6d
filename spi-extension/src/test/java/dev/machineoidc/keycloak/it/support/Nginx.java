package dev.machineoidc.keycloak.it.support;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

/**
 * A real nginx (Debian's), in the foreground as a child process, serving the issuer mapping shipped in
 * {@code docker/nginx/issuer-locations.conf} in front of a test Keycloak.
 */
public final class Nginx implements AutoCloseable {

    private final Process process;
    private final Path dir;

    private Nginx(Process process, Path dir) {
        this.process = process;
        this.dir = dir;
    }

    public static Nginx start(Path workDir, Path locations, int port, int keycloakPort) throws IOException {
        Files.createDirectories(workDir.resolve("tmp"));
        Path conf = workDir.resolve("nginx.conf");
        Files.writeString(conf, """
                daemon off;
                master_process off;
                pid %1$s/nginx.pid;
                error_log %1$s/error.log info;
                events { worker_connections 256; }
                http {
                    access_log %1$s/access.log;
                    client_body_temp_path %1$s/tmp/body;
                    proxy_temp_path %1$s/tmp/proxy;
                    fastcgi_temp_path %1$s/tmp/fastcgi;
                    uwsgi_temp_path %1$s/tmp/uwsgi;
                    scgi_temp_path %1$s/tmp/scgi;
                    upstream keycloak { server 127.0.0.1:%2$d; }
                    server {
                        listen 127.0.0.1:%3$d;
                        include %4$s;
                    }
                }
                """.formatted(workDir.toAbsolutePath(), keycloakPort, port, locations.toAbsolutePath()));
        Process process = new ProcessBuilder("nginx", "-c", conf.toAbsolutePath().toString(), "-p", workDir.toAbsolutePath().toString())
                .redirectErrorStream(true)
                .redirectOutput(workDir.resolve("nginx.out").toFile())
                .start();
        Nginx nginx = new Nginx(process, workDir);
        try {
            Poll.until("nginx on port " + port, Duration.ofSeconds(20), () -> {
                if (!process.isAlive()) {
                    throw new AssertionError("nginx exited: " + nginx.log());
                }
                try (Socket socket = new Socket()) {
                    socket.connect(new InetSocketAddress("127.0.0.1", port), 200);
                    return true;
                } catch (IOException e) {
                    return false;
                }
            });
        } catch (AssertionError e) {
            nginx.close();
            throw e;
        }
        return nginx;
    }

    public String log() {
        StringBuilder log = new StringBuilder();
        for (String name : new String[] {"nginx.out", "error.log"}) {
            Path file = dir.resolve(name);
            try {
                if (Files.exists(file)) {
                    log.append(Files.readString(file));
                }
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        return log.toString();
    }

    @Override
    public void close() {
        process.destroy();
        try {
            if (!process.waitFor(10, TimeUnit.SECONDS)) {
                process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
