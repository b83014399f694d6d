package dev.machineoidc.bridge.metrics;

import dev.machineoidc.bridge.socket.SocketPath;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;

/**
 * Where {@code GET /metrics} is served: a loopback TCP address or a unix socket. Nothing else: metrics are for the
 * machine's own collector, and a bridge must never open a port to the network.
 */
public sealed interface MetricsAddress {

    /** @param address a loopback address; port 0 (any free port) only from code, e.g. tests */
    record Tcp(InetSocketAddress address) implements MetricsAddress {

        public Tcp {
            if (!address.getAddress().isLoopbackAddress()) {
                throw new IllegalArgumentException("not a loopback address: " + address);
            }
        }

        @Override
        public String toString() {
            String host = address.getAddress().getHostAddress();
            return (host.contains(":") ? "[" + host + "]" : host) + ":" + address.getPort();
        }
    }

    /** @param path absolute, at most {@value SocketPath#MAX_LENGTH} bytes */
    record Unix(Path path) implements MetricsAddress {

        public Unix {
            if (!path.isAbsolute()
                    || path.toString().getBytes(StandardCharsets.UTF_8).length > SocketPath.MAX_LENGTH) {
                throw new IllegalArgumentException("the metrics socket path must be absolute and at most "
                        + SocketPath.MAX_LENGTH + " bytes: " + path);
            }
        }

        @Override
        public String toString() {
            return path.toString();
        }
    }

    /**
     * @param value {@code 127.0.0.1:9464}, {@code [::1]:9464}, {@code localhost:9464}, or an absolute path such as
     *     {@code /run/machine-oidc/metrics}
     * @throws IllegalArgumentException saying what is wrong; host names other than localhost are refused without a
     *     DNS lookup
     */
    static MetricsAddress parse(String value) {
        if (value.startsWith("/")) {
            try {
                return new Unix(Path.of(value));
            } catch (InvalidPathException e) {
                throw new IllegalArgumentException("invalid metrics socket path " + value);
            }
        }
        int colon = value.lastIndexOf(':');
        if (colon < 0) {
            throw new IllegalArgumentException("expected HOST:PORT on a loopback address or an absolute unix socket "
                    + "path, not " + value);
        }
        InetAddress host = loopbackHost(value.substring(0, colon));
        return new Tcp(new InetSocketAddress(host, port(value.substring(colon + 1))));
    }

    private static InetAddress loopbackHost(String host) {
        InetAddress address = null;
        if ("localhost".equals(host)) {
            address = InetAddress.getLoopbackAddress();
        } else if (isIpv4Literal(host) || (host.startsWith("[") && host.endsWith("]"))) {
            try {
                // A literal (and a bracketed IPv6 literal) is parsed, never looked up.
                address = InetAddress.getByName(host);
            } catch (UnknownHostException e) {
                address = null;
            }
        }
        if (address == null || !address.isLoopbackAddress()) {
            throw new IllegalArgumentException("metrics are served on loopback only (127.0.0.1, [::1] or localhost), "
                    + "not on " + host);
        }
        return address;
    }

    private static boolean isIpv4Literal(String host) {
        String[] parts = host.split("\\.", -1);
        if (parts.length != 4) {
            return false;
        }
        for (String part : parts) {
            if (part.isEmpty() || part.length() > 3 || !part.chars().allMatch(c -> c >= '0' && c <= '9')
                    || Integer.parseInt(part) > 255) {
                return false;
            }
        }
        return true;
    }

    private static int port(String port) {
        if (port.isEmpty() || port.length() > 5 || !port.chars().allMatch(c -> c >= '0' && c <= '9')
                || Integer.parseInt(port) < 1 || Integer.parseInt(port) > 65535) {
            throw new IllegalArgumentException("the metrics port must be 1-65535, not '" + port + "'");
        }
        return Integer.parseInt(port);
    }
}
