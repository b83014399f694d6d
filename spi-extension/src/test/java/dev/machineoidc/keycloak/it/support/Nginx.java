package dev.machineoidc.keycloak.it.support;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * A real nginx (Debian's), in the foreground as a child process, serving the issuer mapping shipped in
 * {@code docker/nginx/issuer-locations.conf} in front of a test Keycloak, over plain HTTP or TLS.
 */
public final class Nginx implements AutoCloseable {

    private final ListeningProcess process;

    private Nginx(ListeningProcess process) {
        this.process = process;
    }

    public static Nginx start(Path workDir, Path locations, int port, int keycloakPort) throws IOException {
        return start(workDir, locations, port, keycloakPort, "listen 127.0.0.1:%d;".formatted(port));
    }

    /** The same over https, with the server certificate a {@link TestCa} made. */
    public static Nginx startTls(Path workDir, Path locations, int port, int keycloakPort, TestCa ca) throws IOException {
        return start(workDir, locations, port, keycloakPort, "listen 127.0.0.1:%d ssl; ssl_certificate %s; ssl_certificate_key %s;"
                .formatted(port, ca.serverCertificate().toAbsolutePath(), ca.serverKey().toAbsolutePath()));
    }

    private static Nginx start(Path workDir, Path locations, int port, int keycloakPort, String listen) throws IOException {
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
                        %3$s
                        include %4$s;
                    }
                }
                """.formatted(workDir.toAbsolutePath(), keycloakPort, listen, locations.toAbsolutePath()));
        return new Nginx(ListeningProcess.start("nginx",
                List.of("nginx", "-c", conf.toAbsolutePath().toString(), "-p", workDir.toAbsolutePath().toString()),
                port, List.of(workDir.resolve("nginx.out"), workDir.resolve("error.log"))));
    }

    public String log() {
        return process.log();
    }

    @Override
    public void close() {
        process.close();
    }
}
