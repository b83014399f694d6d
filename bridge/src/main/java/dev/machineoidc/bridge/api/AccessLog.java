package dev.machineoidc.bridge.api;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** One line per request: machine, caller, aud (or the status view), status, latency. Never the token or the body. */
final class AccessLog {

    private static final Logger LOG = LoggerFactory.getLogger("dev.machineoidc.bridge.access");

    private final String machineId;

    AccessLog(String machineId) {
        this.machineId = machineId;
    }

    /**
     * @param audience the validated audience, or null when none was asked for or the request was refused
     *     before; quoted, so an audience with spaces cannot pass for other fields of the line
     */
    void log(Caller caller, String audience, int status, String error, long millis) {
        LOG.info("machine={} peer={} aud={} status={} error={} ms={}",
                machineId, caller.description(), quote(audience), status, error, millis);
    }

    void logStatusView(Caller caller, int status, String error, long millis) {
        LOG.info("machine={} peer={} view=status status={} error={} ms={}",
                machineId, caller.description(), status, error, millis);
    }

    private static String quote(String audience) {
        return audience == null ? "-" : '"' + audience.replace("\\", "\\\\").replace("\"", "\\\"") + '"';
    }
}
