import java.net.InetSocketAddress;

import com.sun.net.httpserver.HttpServer;

/**
 * Stands in for Keycloak in ManagedKeycloakTest (run with Java's source launcher): takes kc.sh start's
 * arguments, listens on the HTTP port, and answers 200 on the management port's /health/ready.
 */
public class FakeKeycloak {

    public static void main(String[] args) throws Exception {
        HttpServer.create(new InetSocketAddress(port(args, "--http-port=")), 0).start();
        HttpServer management = HttpServer.create(new InetSocketAddress(port(args, "--http-management-port=")), 0);
        management.createContext("/health/ready", exchange -> {
            exchange.sendResponseHeaders(200, -1);
            exchange.close();
        });
        management.start();
        System.out.println("fake Keycloak started");
    }

    private static int port(String[] args, String option) {
        for (String arg : args) {
            if (arg.startsWith(option)) {
                return Integer.parseInt(arg.substring(option.length()));
            }
        }
        throw new IllegalArgumentException("no " + option);
    }
}
