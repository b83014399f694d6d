package dev.machineoidc.bench.http1;

import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;

/** Requests one after another on one connected socket (plain or TLS), each answer read before the next request. */
public final class Http11Connection implements AutoCloseable {

    private final Socket socket;
    private final String host;
    private final InputStream in;
    private final OutputStream out;
    private boolean reusable = true;

    /** @param host the {@code Host} header's value, e.g. {@code 127.0.0.1:8190} */
    public Http11Connection(Socket socket, String host) throws IOException {
        this.socket = socket;
        this.host = host;
        this.in = new BufferedInputStream(socket.getInputStream(), 16 * 1024);
        this.out = socket.getOutputStream();
    }

    /** @param closeAfter ask the server to close the connection after its answer */
    public Http11Response exchange(Http11Post request, boolean closeAfter) throws IOException {
        reusable = false; // until a whole answer has been read: a failure leaves the stream mid-message
        out.write(request.encode(host, closeAfter));
        out.flush();
        Http11Response response = Http11ResponseReader.read(in);
        reusable = !closeAfter && response.keepAlive();
        return response;
    }

    /** Whether the next request may go on this connection. */
    public boolean reusable() {
        return reusable && !socket.isClosed();
    }

    @Override
    public void close() throws IOException {
        socket.close();
    }
}
