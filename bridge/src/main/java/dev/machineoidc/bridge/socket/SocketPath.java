package dev.machineoidc.bridge.socket;

import java.io.IOException;
import java.net.ConnectException;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.SocketChannel;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Gets a socket path ready to bind. */
public final class SocketPath {

    /** Longest path the kernel takes for a unix socket (sun_path is 108 bytes with the NUL). */
    public static final int MAX_LENGTH = 107;

    private static final Logger LOG = LoggerFactory.getLogger(SocketPath.class);
    private static final int FILE_TYPE_MASK = 0170000;
    private static final int SOCKET_TYPE = 0140000;

    private SocketPath() {
    }

    /**
     * Creates the parent directory if missing and removes a stale socket left by a bridge that died.
     * Refuses when a live process still listens there, or when the path is anything but a socket.
     */
    public static void claim(Path path) throws IOException {
        Path parent = path.toAbsolutePath().getParent();
        Files.createDirectories(parent);
        if (!Files.exists(path, LinkOption.NOFOLLOW_LINKS)) {
            return;
        }
        int mode = (Integer) Files.getAttribute(path, "unix:mode", LinkOption.NOFOLLOW_LINKS);
        if ((mode & FILE_TYPE_MASK) != SOCKET_TYPE) {
            throw new FileAlreadyExistsException(path.toString(), null, "exists and is not a socket; not replacing it");
        }
        if (isListening(path)) {
            throw new FileAlreadyExistsException(path.toString(), null, "another process is listening on this socket");
        }
        Files.delete(path);
        LOG.info("Replaced the stale socket {}", path);
    }

    /** Only a refused connection proves the file stale; any other error leaves the doubt, and the file. */
    static boolean isListening(Path path) throws IOException {
        try (SocketChannel ignored = SocketChannel.open(UnixDomainSocketAddress.of(path))) {
            return true;
        } catch (ConnectException e) {
            return false;
        }
    }
}
