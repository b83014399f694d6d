package dev.machineoidc.bridge.api;

import dev.machineoidc.bridge.mint.MintException;
import dev.machineoidc.bridge.mint.TokenMinter;
import dev.machineoidc.bridge.mint.TokenRequest;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The socket API: {@code POST /v1/tokens/oidc} answers a freshly minted JWT as {@code text/plain};
 * everything else, and every failure, is a JSON error. Mapped to {@code /*} so that no request reaches
 * a container default page.
 */
public final class TokenServlet extends HttpServlet {

    public static final String PATH = "/v1/tokens/oidc";
    /** Seconds a caller should wait before retrying when Keycloak is unreachable. */
    static final String RETRY_AFTER_SECONDS = "2";

    private static final Logger LOG = LoggerFactory.getLogger(TokenServlet.class);

    private final transient TokenMinter minter;
    private final transient CallerGate callers;
    private final transient AccessLog accessLog;
    private final transient TokenRequestParser parser = new TokenRequestParser();
    private final transient ErrorBody errorBody;

    public TokenServlet(TokenMinter minter, CallerGate callers, String machineId, ErrorBody errorBody) {
        this.minter = minter;
        this.callers = callers;
        this.accessLog = new AccessLog(machineId);
        this.errorBody = errorBody;
    }

    @Override
    protected void service(HttpServletRequest request, HttpServletResponse response) throws IOException {
        long started = System.nanoTime();
        Caller caller = callers.identify(request);
        String audience = null;
        int status = 200;
        String error = "-";
        try {
            TokenRequest tokenRequest = accept(request, caller);
            audience = tokenRequest.audience().orElse(null);
            writeToken(response, minter.mint(tokenRequest));
        } catch (ApiError e) {
            status = e.status();
            error = e.code();
            writeError(response, e);
        } catch (MintException e) {
            ApiError apiError = ApiError.from(e);
            status = apiError.status();
            error = apiError.code();
            writeError(response, apiError);
        } catch (RuntimeException e) {
            LOG.error("Request failed unexpectedly", e);
            ApiError apiError = ApiError.internal();
            status = apiError.status();
            error = apiError.code();
            writeError(response, apiError);
        } finally {
            accessLog.log(caller, audience, status, error, TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started));
        }
    }

    /** The checks in order: who calls, where, how, then what they ask for. */
    private TokenRequest accept(HttpServletRequest request, Caller caller) throws ApiError {
        if (!caller.permitted()) {
            throw ApiError.peerNotAllowed();
        }
        if (!PATH.equals(request.getPathInfo())) {
            throw ApiError.notFound();
        }
        if (!"POST".equals(request.getMethod())) {
            throw ApiError.methodNotAllowed();
        }
        return parser.parse(RequestBody.read(request));
    }

    private static void writeToken(HttpServletResponse response, String token) throws IOException {
        byte[] body = token.getBytes(StandardCharsets.US_ASCII);
        response.setStatus(200);
        // Through the byte stream: a Writer would make the container append "; charset=...".
        response.setContentType("text/plain");
        response.setHeader("Cache-Control", "no-store");
        response.setContentLength(body.length);
        response.getOutputStream().write(body);
    }

    private void writeError(HttpServletResponse response, ApiError error) throws IOException {
        if (response.isCommitted()) {
            return;
        }
        response.reset();
        response.setStatus(error.status());
        switch (error.status()) {
            case 405 -> response.setHeader("Allow", "POST");
            case 413 -> response.setHeader("Connection", "close");
            case 429 -> response.setHeader("Retry-After", Long.toString(error.retryAfterSeconds()));
            case 503 -> response.setHeader("Retry-After", RETRY_AFTER_SECONDS);
            default -> {
            }
        }
        byte[] body = errorBody.render(error.code(), error.getMessage());
        response.setContentType(ErrorBody.CONTENT_TYPE);
        response.setHeader("Cache-Control", "no-store");
        response.setContentLength(body.length);
        response.getOutputStream().write(body);
    }
}
