package dev.machineoidc.bridge;

import dev.machineoidc.bridge.config.BridgeConfig;
import dev.machineoidc.bridge.config.ConfigParser;
import dev.machineoidc.bridge.config.HelpText;
import dev.machineoidc.bridge.config.UsageException;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import sun.misc.Signal;

/**
 * {@code java -jar machine-oidc-bridge.jar}: options in, a running {@link Bridge} until SIGTERM/SIGINT, which stop
 * it gracefully and exit 0.
 */
public final class Main {

    private static final Logger LOG = LoggerFactory.getLogger(Main.class);
    static final int EXIT_START_FAILED = 1;
    static final int EXIT_USAGE = 2;

    private Main() {
    }

    public static void main(String[] args) {
        List<String> arguments = List.of(args);
        if (ConfigParser.wantsHelp(arguments)) {
            System.out.print(HelpText.render());
            return;
        }
        BridgeConfig config;
        try {
            config = new ConfigParser().parse(arguments, System.getenv());
        } catch (UsageException e) {
            System.err.println("machine-oidc-bridge: " + e.getMessage());
            System.err.println("Try 'java -jar machine-oidc-bridge.jar --help'.");
            System.exit(EXIT_USAGE);
            return;
        }
        Bridge bridge = new Bridge(config);
        // Registered first: a signal during start-up still removes the socket. Jetty's threads keep the JVM up.
        Runtime.getRuntime().addShutdownHook(new Thread(bridge::stop, "bridge-shutdown"));
        exitZeroOn("TERM", "INT");
        try {
            bridge.start();
        } catch (Exception e) {
            // Messages of our exceptions name the problem and hold no secret; stack traces stay out.
            LOG.error("Cannot start: {}", e.getMessage() != null ? e.getMessage() : e.toString());
            System.exit(EXIT_START_FAILED);
        }
    }

    /**
     * A stop on request is a clean exit: the JVM runs the shutdown hook either way, but on its own it would then
     * exit 143 (130 for SIGINT), which supervisors count as a failure.
     */
    private static void exitZeroOn(String... signals) {
        for (String name : signals) {
            try {
                Signal.handle(new Signal(name), signal -> System.exit(0));
            } catch (IllegalArgumentException e) {
                // Reserved by the JVM (-Xrs): its own handling stands.
            }
        }
    }
}
