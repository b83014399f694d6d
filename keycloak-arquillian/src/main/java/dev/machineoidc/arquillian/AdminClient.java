package dev.machineoidc.arquillian;

import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import java.util.stream.Collectors;

import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * Calls Keycloak's HTTP APIs as the master realm's admin (password grant, client {@code admin-cli}). The
 * token is reused until shortly before it expires, so a test can make many calls without new logins.
 */
public final class AdminClient {

    private static final Duration REQUEST_TIMEOUT = Duration.ofSeconds(30);
    /** Renew this long before expiry, so that a token never runs out between fetching and using it. */
    private static final Duration EXPIRY_MARGIN = Duration.ofSeconds(10);

    private final HttpClient http;
    private final URI baseUrl;
    private final String user;
    private final String password;
    private final ObjectMapper json = new ObjectMapper();

    private String token;
    private Deadline tokenRenewal = Deadline.after(Duration.ZERO);

    AdminClient(HttpClient http, URI baseUrl, String user, String password) {
        this.http = http;
        this.baseUrl = baseUrl;
        this.user = user;
        this.password = password;
    }

    /** A master-realm admin access token. */
    public synchronized String accessToken() throws IOException, InterruptedException {
        if (token == null || tokenRenewal.expired()) {
            JsonResponse response = postForm("/realms/master/protocol/openid-connect/token", Map.of(
                    "grant_type", "password", "client_id", "admin-cli", "username", user, "password", password));
            if (response.status() != 200) {
                throw new IOException("Admin login as " + user + " failed: " + response);
            }
            token = response.json().path("access_token").asText();
            tokenRenewal = Deadline.after(
                    Duration.ofSeconds(response.json().path("expires_in").asLong()).minus(EXPIRY_MARGIN));
        }
        return token;
    }

    public JsonResponse get(String path) throws IOException, InterruptedException {
        return send("GET", path, null);
    }

    public JsonResponse post(String path, Object body) throws IOException, InterruptedException {
        return send("POST", path, body);
    }

    public JsonResponse put(String path, Object body) throws IOException, InterruptedException {
        return send("PUT", path, body);
    }

    public JsonResponse delete(String path) throws IOException, InterruptedException {
        return send("DELETE", path, null);
    }

    /** An authenticated request; {@code body} (a Map, a JsonNode, a bean; null for none) is sent as JSON. */
    public JsonResponse send(String method, String path, Object body) throws IOException, InterruptedException {
        HttpRequest.BodyPublisher publisher = body == null
                ? HttpRequest.BodyPublishers.noBody()
                : HttpRequest.BodyPublishers.ofString(json.writeValueAsString(body));
        HttpRequest.Builder request = request(path)
                .header("Authorization", "Bearer " + accessToken())
                .header("Accept", "application/json")
                .method(method, publisher);
        if (body != null) {
            request.header("Content-Type", "application/json");
        }
        return execute(request.build());
    }

    /** An unauthenticated form post, as token endpoints expect. */
    public JsonResponse postForm(String path, Map<String, String> form) throws IOException, InterruptedException {
        String encoded = form.entrySet().stream()
                .map(field -> encode(field.getKey()) + "=" + encode(field.getValue()))
                .collect(Collectors.joining("&"));
        return execute(request(path)
                .header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString(encoded))
                .build());
    }

    private HttpRequest.Builder request(String path) {
        return HttpRequest.newBuilder(baseUrl.resolve(path)).timeout(REQUEST_TIMEOUT);
    }

    private JsonResponse execute(HttpRequest request) throws IOException, InterruptedException {
        HttpResponse<String> response = http.send(request, HttpResponse.BodyHandlers.ofString());
        return new JsonResponse(response.statusCode(), response.body(), response.headers());
    }

    private static String encode(String value) {
        return URLEncoder.encode(value, StandardCharsets.UTF_8);
    }
}
