package dev.machineoidc.e2e;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.io.IOException;
import java.math.BigInteger;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.PublicKey;
import java.security.Signature;
import java.security.spec.RSAPublicKeySpec;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.Map;

/** A compact JWS as the bridge returns it: header and claims decoded, signature checked against the issuer's JWKS. */
record Jwt(String compact, Map<String, Object> header, Map<String, Object> claims) {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final TypeReference<Map<String, Object>> MAP = new TypeReference<>() { };

    static Jwt parse(String compact) throws IOException {
        String[] parts = compact.split("\\.", -1);
        if (parts.length != 3) {
            throw new AssertionError("not a compact JWS (" + parts.length + " parts): " + abbreviate(compact));
        }
        return new Jwt(compact, decode(parts[0]), decode(parts[1]));
    }

    /** Verifies the RS256 signature with the key the issuer's discovery document points to. */
    boolean verifiedByIssuer() throws IOException, InterruptedException, GeneralSecurityException {
        HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();
        Map<String, Object> discovery = get(http, claims.get("iss") + "/.well-known/openid-configuration");
        if (!claims.get("iss").equals(discovery.get("issuer"))) {
            throw new AssertionError("discovery issuer " + discovery.get("issuer") + " != iss " + claims.get("iss"));
        }
        Map<String, Object> jwks = get(http, (String) discovery.get("jwks_uri"));
        @SuppressWarnings("unchecked")
        List<Map<String, Object>> keys = (List<Map<String, Object>>) jwks.get("keys");
        Map<String, Object> jwk = keys.stream().filter(k -> header.get("kid").equals(k.get("kid"))).findFirst()
                .orElseThrow(() -> new AssertionError("kid " + header.get("kid") + " is not in the JWKS " + jwks));
        PublicKey key = KeyFactory.getInstance("RSA").generatePublic(new RSAPublicKeySpec(
                new BigInteger(1, Base64.getUrlDecoder().decode((String) jwk.get("n"))),
                new BigInteger(1, Base64.getUrlDecoder().decode((String) jwk.get("e")))));
        Signature rs256 = Signature.getInstance("SHA256withRSA");
        rs256.initVerify(key);
        int lastDot = compact.lastIndexOf('.');
        rs256.update(compact.substring(0, lastDot).getBytes(StandardCharsets.US_ASCII));
        return rs256.verify(Base64.getUrlDecoder().decode(compact.substring(lastDot + 1)));
    }

    /** GET of a JSON object that must answer 200. */
    static Map<String, Object> fetch(String url) throws IOException, InterruptedException {
        return get(HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build(), url);
    }

    private static Map<String, Object> get(HttpClient http, String url) throws IOException, InterruptedException {
        HttpResponse<String> response = http.send(HttpRequest.newBuilder(URI.create(url))
                .timeout(Duration.ofSeconds(30)).build(), HttpResponse.BodyHandlers.ofString());
        if (response.statusCode() != 200) {
            throw new AssertionError("GET " + url + " answered " + response.statusCode() + ": " + response.body());
        }
        return JSON.readValue(response.body(), MAP);
    }

    private static Map<String, Object> decode(String part) throws IOException {
        return JSON.readValue(Base64.getUrlDecoder().decode(part), MAP);
    }

    /** Never the whole token in a message: the start is enough to tell what came back. */
    static String abbreviate(String text) {
        return text.length() <= 80 ? text : text.substring(0, 80) + "…";
    }
}
