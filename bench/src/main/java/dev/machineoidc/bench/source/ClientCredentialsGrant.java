package dev.machineoidc.bench.source;

import dev.machineoidc.bench.load.Target;
import java.net.URI;
import org.eclipse.jetty.client.FormRequestContent;
import org.eclipse.jetty.client.HttpClient;
import org.eclipse.jetty.client.Request;
import org.eclipse.jetty.http.HttpMethod;
import org.eclipse.jetty.util.Fields;

/**
 * The baseline: what a workload would otherwise do, a {@code client_credentials} grant of a confidential client
 * with a secret at Keycloak's own token endpoint.
 */
public final class ClientCredentialsGrant implements Target {

    private final HttpClient tcpClient;
    private final URI tokenEndpoint;
    private final Fields form = new Fields();

    public ClientCredentialsGrant(HttpClient tcpClient, URI tokenEndpoint, String clientId, String secret) {
        this.tcpClient = tcpClient;
        this.tokenEndpoint = tokenEndpoint;
        form.put("grant_type", "client_credentials");
        form.put("client_id", clientId);
        form.put("client_secret", secret);
    }

    @Override
    public Request newRequest() {
        return tcpClient.newRequest(tokenEndpoint).method(HttpMethod.POST).body(new FormRequestContent(form));
    }

    @Override
    public boolean isToken(String body) {
        return body.contains("\"access_token\":\"");
    }
}
