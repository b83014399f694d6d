package dev.machineoidc.keycloak.it.support;

import dev.machineoidc.arquillian.JsonResponse;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * A real Apache httpd with Debian's {@code mod_auth_openidc} as an OAuth 2.0 resource server: it verifies bearer JWTs
 * against a JWKS it fetches over https (the module accepts no other scheme), trusting only the given CA, and requires
 * the given {@code iss} and {@code aud}. It runs with {@code -X} (one process, foreground) from its own ServerRoot.
 * A request it lets through gets 200 with the token's {@code sub} and {@code machine_id} echoed in the
 * {@code X-Token-Sub} and {@code X-Token-Machine-Id} headers; any other gets 401.
 */
public final class ModAuthOpenidc implements AutoCloseable {

    private final ListeningProcess process;
    private final String url;
    private final Http http = new Http();

    private ModAuthOpenidc(ListeningProcess process, String url) {
        this.process = process;
        this.url = url;
    }

    public static ModAuthOpenidc start(Path serverRoot, int port, String jwksUri, Path caBundle, String issuer, String audience)
            throws IOException {
        Path root = serverRoot.toAbsolutePath();
        Files.createDirectories(root.resolve("htdocs"));
        Files.writeString(root.resolve("htdocs/resource.txt"), "protected\n");
        Path conf = root.resolve("httpd.conf");
        String modules = "/usr/lib/apache2/modules";
        Files.writeString(conf, """
                ServerRoot %1$s
                ServerName 127.0.0.1
                Listen 127.0.0.1:%2$d
                PidFile %1$s/httpd.pid
                DefaultRuntimeDir %1$s
                ErrorLog %1$s/error.log
                LogLevel warn auth_openidc:info
                LoadModule mpm_prefork_module %3$s/mod_mpm_prefork.so
                LoadModule authn_core_module %3$s/mod_authn_core.so
                LoadModule authz_core_module %3$s/mod_authz_core.so
                LoadModule authz_user_module %3$s/mod_authz_user.so
                LoadModule headers_module %3$s/mod_headers.so
                LoadModule auth_openidc_module %3$s/mod_auth_openidc.so
                DocumentRoot %1$s/htdocs

                OIDCOAuthVerifyJwksUri %4$s
                OIDCCABundlePath %5$s
                <Location />
                    AuthType oauth20
                    <RequireAll>
                        Require valid-user
                        Require claim iss:%6$s
                        Require claim aud:%7$s
                    </RequireAll>
                    Header set X-Token-Sub "%%{OIDC_CLAIM_sub}e"
                    Header set X-Token-Machine-Id "%%{OIDC_CLAIM_machine_id}e"
                </Location>
                """.formatted(root, port, modules, jwksUri, caBundle.toAbsolutePath(), issuer, audience));
        ListeningProcess process = ListeningProcess.start("apache2 with mod_auth_openidc",
                List.of("apache2", "-X", "-f", conf.toString()), port,
                List.of(root.resolve("apache2.out"), root.resolve("error.log")));
        return new ModAuthOpenidc(process, "http://127.0.0.1:" + port + "/resource.txt");
    }

    /** GET of the protected resource with {@code bearer} as the token (none when null). */
    public JsonResponse get(String bearer) {
        return http.get(url, bearer);
    }

    public String log() {
        return process.log();
    }

    @Override
    public void close() {
        process.close();
    }
}
