package dev.machineoidc.bench.fleet;

import java.io.IOException;
import java.net.Socket;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.CertificateException;
import java.security.cert.X509Certificate;
import java.util.concurrent.atomic.AtomicLong;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.SSLSocketFactory;
import javax.net.ssl.TrustManager;
import javax.net.ssl.TrustManagerFactory;
import javax.net.ssl.X509ExtendedTrustManager;

/**
 * One fleet member's TLS client: its own {@link SSLContext}, and so its own client session cache, as each host's
 * HTTP client has. JSSE resumes the session it cached for the same host and port, which is what the member's
 * later connections do. It counts the handshakes that checked the server's certificate: the full ones (a resumed
 * handshake does not check it again).
 */
final class TlsClient {

    private static final int TIMEOUT_MILLIS = 10_000;

    private final SSLSocketFactory sockets;
    private final AtomicLong fullHandshakes = new AtomicLong();

    private TlsClient(X509ExtendedTrustManager trust) throws GeneralSecurityException {
        SSLContext context = SSLContext.getInstance("TLS");
        context.init(null, new TrustManager[] {new Counting(trust, fullHandshakes)}, null);
        this.sockets = context.getSocketFactory();
    }

    /** A factory of clients that trust exactly {@code certificate} (the benchmark's self-signed one). */
    static Factory trusting(X509Certificate certificate) throws GeneralSecurityException, IOException {
        KeyStore anchors = KeyStore.getInstance(KeyStore.getDefaultType());
        anchors.load(null, null);
        anchors.setCertificateEntry("keycloak", certificate);
        TrustManagerFactory factory = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        factory.init(anchors);
        for (TrustManager manager : factory.getTrustManagers()) {
            if (manager instanceof X509ExtendedTrustManager pkix) {
                return () -> new TlsClient(pkix);
            }
        }
        throw new GeneralSecurityException("no X.509 trust manager in " + factory.getAlgorithm());
    }

    @FunctionalInterface
    interface Factory {
        TlsClient create() throws GeneralSecurityException;
    }

    /** A new connection, handshake done, the host name checked as HTTPS clients check it. */
    SSLSocket connect(String host, int port) throws IOException {
        SSLSocket socket = (SSLSocket) sockets.createSocket(host, port);
        try {
            socket.setTcpNoDelay(true);
            socket.setSoTimeout(TIMEOUT_MILLIS);
            SSLParameters parameters = socket.getSSLParameters();
            parameters.setEndpointIdentificationAlgorithm("HTTPS");
            socket.setSSLParameters(parameters);
            socket.startHandshake();
            return socket;
        } catch (IOException | RuntimeException e) {
            socket.close();
            throw e;
        }
    }

    /** Handshakes so far that were not resumptions. */
    long fullHandshakes() {
        return fullHandshakes.get();
    }

    /** The PKIX checks of the shared trust manager, counted for this client's server-side checks. */
    private static final class Counting extends X509ExtendedTrustManager {

        private final X509ExtendedTrustManager trust;
        private final AtomicLong checks;

        Counting(X509ExtendedTrustManager trust, AtomicLong checks) {
            this.trust = trust;
            this.checks = checks;
        }

        @Override
        public void checkServerTrusted(X509Certificate[] chain, String authType, Socket socket) throws CertificateException {
            checks.incrementAndGet();
            trust.checkServerTrusted(chain, authType, socket);
        }

        @Override
        public void checkServerTrusted(X509Certificate[] chain, String authType, SSLEngine engine) throws CertificateException {
            checks.incrementAndGet();
            trust.checkServerTrusted(chain, authType, engine);
        }

        @Override
        public void checkServerTrusted(X509Certificate[] chain, String authType) throws CertificateException {
            checks.incrementAndGet();
            trust.checkServerTrusted(chain, authType);
        }

        @Override
        public void checkClientTrusted(X509Certificate[] chain, String authType, Socket socket) throws CertificateException {
            trust.checkClientTrusted(chain, authType, socket);
        }

        @Override
        public void checkClientTrusted(X509Certificate[] chain, String authType, SSLEngine engine) throws CertificateException {
            trust.checkClientTrusted(chain, authType, engine);
        }

        @Override
        public void checkClientTrusted(X509Certificate[] chain, String authType) throws CertificateException {
            trust.checkClientTrusted(chain, authType);
        }

        @Override
        public X509Certificate[] getAcceptedIssuers() {
            return trust.getAcceptedIssuers();
        }
    }
}
