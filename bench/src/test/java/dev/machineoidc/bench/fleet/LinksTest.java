package dev.machineoidc.bench.fleet;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.is;

import dev.machineoidc.bench.http1.Http11Post;
import dev.machineoidc.bench.http1.Http11Response;
import java.io.BufferedReader;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.cert.X509Certificate;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Both ways of connecting against a small local server that answers every request with {@code ok}. */
class LinksTest {

    private static final Http11Post REQUEST = new Http11Post("/token", Optional.empty(), "text/plain", "hi");
    private static final char[] PASSWORD = "test-only".toCharArray();

    private final AtomicInteger connections = new AtomicInteger();
    private ServerSocket server;

    private record Member(TlsClient tls) implements FleetMember {

        @Override
        public Http11Post tokenRequest() {
            return REQUEST;
        }

        @Override
        public boolean isToken(Http11Response answer) {
            return answer.body().equals("ok");
        }
    }

    @AfterEach
    void stopServer() throws IOException {
        server.close();
    }

    @Test
    void keptAliveUsesOneConnectionUntilTheServerClosesIt() throws IOException {
        server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        serve(server, 2); // two answers per connection, the second with Connection: close

        KeptAliveLink link = new KeptAliveLink(address());
        for (int i = 0; i < 5; i++) {
            assertThat(link.exchange(null, REQUEST).body(), is("ok"));
        }
        link.close();

        assertThat(connections.get(), is(3));
    }

    @Test
    void tlsPerTokenResumesTheMembersOwnSession(@TempDir Path dir) throws Exception {
        KeyStore keys = selfSigned(dir);
        SSLContext context = SSLContext.getInstance("TLS");
        KeyManagerFactory keyManagers = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
        keyManagers.init(keys, PASSWORD);
        context.init(keyManagers.getKeyManagers(), null, null);
        server = context.getServerSocketFactory().createServerSocket(0, 50, InetAddress.getLoopbackAddress());
        serve(server, 1);
        TlsClient.Factory clients = TlsClient.trusting((X509Certificate) keys.getCertificate("server"));
        Member first = new Member(clients.create());
        Member second = new Member(clients.create());
        Handshakes handshakes = new Handshakes();
        TlsPerTokenLink link = new TlsPerTokenLink(address(), handshakes);

        for (Member member : List.of(first, first, second, first, second)) {
            assertThat(member.isToken(link.exchange(member, member.tokenRequest())), is(true));
        }

        // Each member's first connection is a full handshake; its later ones resume its own session.
        assertThat(handshakes.count(), is(new Handshakes.Count(5, 3)));
        assertThat(connections.get(), is(5));
        assertThat(handshakes.count().resumedShare(), is(0.6));
    }

    private InetSocketAddress address() {
        return new InetSocketAddress("127.0.0.1", server.getLocalPort());
    }

    /** Answers {@code perConnection} requests on each connection, the last with {@code Connection: close}. */
    private void serve(ServerSocket listening, int perConnection) {
        Thread thread = new Thread(() -> {
            while (!listening.isClosed()) {
                try (Socket socket = listening.accept()) {
                    connections.incrementAndGet();
                    BufferedReader in = new BufferedReader(new InputStreamReader(socket.getInputStream(), StandardCharsets.ISO_8859_1));
                    OutputStream out = socket.getOutputStream();
                    for (int i = 1; i <= perConnection; i++) {
                        readRequest(in);
                        String close = i == perConnection ? "Connection: close\r\n" : "";
                        out.write(("HTTP/1.1 200 OK\r\nContent-Length: 2\r\n" + close + "\r\nok").getBytes(StandardCharsets.ISO_8859_1));
                        out.flush();
                    }
                } catch (IOException e) {
                    // closed by the test, or a client gone: the next accept decides
                }
            }
        });
        thread.setDaemon(true);
        thread.start();
    }

    private static void readRequest(BufferedReader in) throws IOException {
        int length = 0;
        for (String line = in.readLine(); line == null || !line.isEmpty(); line = in.readLine()) {
            if (line == null) {
                throw new EOFException("the client closed the connection");
            }
            if (line.toLowerCase(Locale.ROOT).startsWith("content-length:")) {
                length = Integer.parseInt(line.substring(15).trim());
            }
        }
        for (int i = 0; i < length; i++) {
            in.read();
        }
    }

    /** A key and self-signed certificate for 127.0.0.1 from the JDK's keytool, as the benchmark makes its own. */
    private static KeyStore selfSigned(Path dir) throws Exception {
        Path file = dir.resolve("server.p12");
        Process keytool = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "keytool").toString(),
                "-genkeypair", "-keystore", file.toString(), "-storetype", "PKCS12", "-storepass", new String(PASSWORD),
                "-alias", "server", "-keyalg", "EC", "-groupname", "secp256r1", "-dname", "CN=localhost",
                "-ext", "SAN=ip:127.0.0.1", "-validity", "1").redirectErrorStream(true).start();
        String output = new String(keytool.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(output, keytool.waitFor(60, TimeUnit.SECONDS) && keytool.exitValue() == 0, is(true));
        KeyStore keys = KeyStore.getInstance("PKCS12");
        try (InputStream in = Files.newInputStream(file)) {
            keys.load(in, PASSWORD);
        }
        return keys;
    }
}
