package dev.machineoidc.bridge.api;

import dev.machineoidc.bridge.status.BridgeStatus;
import dev.machineoidc.bridge.status.StatusJson;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code GET /v1/status}: what the bridge is doing, for whoever debugs the machine. Behind the same caller gate as
 * the token endpoint: it names the machine, its org and where its token files are, which is no more than a caller
 * who may mint can read from a token, and nothing an unlisted process on the machine needs.
 */
public final class StatusServlet extends HttpServlet {

    public static final String PATH = "/v1/status";

    private static final Logger LOG = LoggerFactory.getLogger(StatusServlet.class);

    private final transient BridgeStatus status;
    private final transient StatusJson json = new StatusJson();
    private final transient CallerGate callers;
    private final transient AccessLog accessLog;
    private final transient ErrorWriter errors;

    public StatusServlet(BridgeStatus status, CallerGate callers, String machineId, ErrorBody errorBody) {
        this.status = status;
        this.callers = callers;
        this.accessLog = new AccessLog(machineId);
        this.errors = new ErrorWriter(errorBody, "GET");
    }

    @Override
    protected void service(HttpServletRequest request, HttpServletResponse response) throws IOException {
        long started = System.nanoTime();
        Caller caller = callers.identify(request);
        ApiError refusal = null;
        try {
            refusal = refusal(request, caller);
            if (refusal == null) {
                writeStatus(response, json.render(status.snapshot()));
            } else {
                errors.write(response, refusal);
            }
        } catch (RuntimeException e) {
            LOG.error("Status view failed unexpectedly", e);
            refusal = ApiError.internal();
            errors.write(response, refusal);
        } finally {
            accessLog.logStatusView(caller, refusal == null ? 200 : refusal.status(),
                    refusal == null ? "-" : refusal.code(), TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started));
        }
    }

    /** @return why the caller gets no status, or null */
    private static ApiError refusal(HttpServletRequest request, Caller caller) {
        if (!caller.permitted()) {
            return ApiError.peerNotAllowed();
        }
        return "GET".equals(request.getMethod()) ? null : ApiError.methodNotAllowed("GET");
    }

    private static void writeStatus(HttpServletResponse response, byte[] body) throws IOException {
        response.setStatus(200);
        response.setContentType(ErrorBody.CONTENT_TYPE);
        response.setHeader("Cache-Control", "no-store");
        response.setContentLength(body.length);
        response.getOutputStream().write(body);
    }
}
