package dev.machineoidc.bridge.keycloak;

import com.nimbusds.jose.util.JSONObjectUtils;
import dev.machineoidc.bridge.identity.MachineIdentity;
import dev.machineoidc.bridge.mint.MintException;
import dev.machineoidc.bridge.mint.MintException.Kind;
import dev.machineoidc.bridge.mint.TokenMinter;
import dev.machineoidc.bridge.mint.TokenRequest;
import java.time.Clock;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Mints each token with one call to the org's mint endpoint, authenticated by the machine's session;
 * a refused session is renewed once and the call retried. The whole exchange, session included, fits
 * in one time budget so a caller is answered promptly even when Keycloak hangs.
 */
public final class KeycloakMinter implements TokenMinter {

    private static final Logger LOG = LoggerFactory.getLogger(KeycloakMinter.class);
    private static final Pattern JWT = Pattern.compile("[A-Za-z0-9_-]+\\.[A-Za-z0-9_-]+\\.[A-Za-z0-9_-]+");

    private final KeycloakTransport transport;
    private final MachineSession session;
    private final String mintPath;
    private final Duration budget;

    KeycloakMinter(KeycloakTransport transport, MachineSession session, String org, Duration budget) {
        this.transport = transport;
        this.session = session;
        this.mintPath = "realms/" + org + "/machine-oidc/token";
        this.budget = budget;
    }

    /**
     * @param budget how long one {@link #mint} may take in all, retries and session renewal included
     */
    public static KeycloakMinter create(KeycloakTransport transport, String org, MachineIdentity identity,
                                        Duration budget, Clock clock) {
        ClientAssertion assertion = new ClientAssertion(identity, clock);
        MachineSession session = new MachineSession(transport, org, identity.registration().clientId(), assertion, clock);
        return new KeycloakMinter(transport, session, org, budget);
    }

    @Override
    public String mint(TokenRequest request) throws MintException {
        Deadline deadline = Deadline.after(budget);
        String body = toJson(request);
        String bearer = session.bearer(deadline);
        KeycloakResponse response = post(body, bearer, deadline);
        if (response.status() == 401) {
            session.invalidate(bearer);
            response = post(body, session.bearer(deadline), deadline);
        }
        return interpret(response);
    }

    private KeycloakResponse post(String body, String bearer, Deadline deadline) throws MintException {
        try {
            return transport.post(mintPath, "application/json", body, bearer, deadline);
        } catch (KeycloakUnavailableException e) {
            throw unavailable();
        }
    }

    private static String interpret(KeycloakResponse response) throws MintException {
        int status = response.status();
        if (status == 200) {
            String token = response.body().strip();
            if (!JWT.matcher(token).matches()) {
                throw new MintException(Kind.UPSTREAM_ERROR, "keycloak_error", "Keycloak's answer is not a JWT");
            }
            return token;
        }
        if (status == 400) {
            KeycloakError error = KeycloakError.parse(response.body(), "invalid_request", "Keycloak refused the request");
            throw new MintException(Kind.INVALID_REQUEST, error.code(), error.message());
        }
        if (status == 403) {
            KeycloakError error = KeycloakError.parse(response.body(), "forbidden", "Keycloak refused to mint a token");
            throw new MintException(Kind.DENIED, error.code(), error.message());
        }
        if (response.isServerError()) {
            throw unavailable();
        }
        // A second 401 right after a fresh session means the bearer does not fit the mint endpoint.
        LOG.warn("Unexpected HTTP {} from Keycloak's mint endpoint", status);
        throw new MintException(Kind.UPSTREAM_ERROR, "keycloak_error", "Keycloak's mint endpoint answered HTTP " + status);
    }

    private static String toJson(TokenRequest request) {
        Map<String, Object> json = new LinkedHashMap<>();
        request.audience().ifPresent(aud -> json.put("aud", aud));
        if (request.awsPrincipalTags()) {
            json.put("aws_principal_tags", true);
        }
        return JSONObjectUtils.toJSONString(json);
    }

    private static MintException unavailable() {
        return new MintException(Kind.UNAVAILABLE, "keycloak_unavailable", "Keycloak is unreachable; try again shortly");
    }
}
