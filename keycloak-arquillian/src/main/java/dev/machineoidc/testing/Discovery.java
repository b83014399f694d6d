package dev.machineoidc.testing;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.is;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JOSEObjectType;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.source.ImmutableJWKSet;
import com.nimbusds.jose.proc.BadJOSEException;
import com.nimbusds.jose.proc.DefaultJOSEObjectTypeVerifier;
import com.nimbusds.jose.proc.JWSVerificationKeySelector;
import com.nimbusds.jose.proc.SecurityContext;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import com.nimbusds.jwt.proc.DefaultJWTProcessor;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.text.ParseException;
import java.time.Duration;

/**
 * What a relying party does with a token, for the container tests of every module: {@code <iss>/.well-known/openid-configuration}, the {@code jwks_uri} it
 * names, and a signature check with nimbus. Nothing but public HTTP.
 */
public final class Discovery {

    private static final HttpClient HTTP = HttpClient.newBuilder()
            .version(HttpClient.Version.HTTP_1_1).connectTimeout(Duration.ofSeconds(5)).build();
    private static final ObjectMapper JSON = new ObjectMapper();

    private Discovery() {
    }

    /** The discovery document of {@code issuer}, asserting it names that issuer exactly. */
    public static JsonNode document(String issuer) throws IOException, InterruptedException {
        JsonNode document = JSON.readTree(get(issuer + "/.well-known/openid-configuration"));
        assertThat("issuer in the discovery document", document.path("issuer").asText(), is(issuer));
        return document;
    }

    /** The org's public keys, found through discovery. */
    public static JWKSet keys(String issuer) throws IOException, InterruptedException, ParseException {
        return JWKSet.parse(get(document(issuer).path("jwks_uri").asText()));
    }

    /** Verifies {@code jwt} (RS256, {@code typ} JWT) with the keys its own {@code iss} publishes; returns its claims. */
    public static JWTClaimsSet verify(String jwt) throws Exception {
        return verifier(keys(SignedJWT.parse(jwt).getJWTClaimsSet().getIssuer())).verify(jwt);
    }

    /** A verifier for many tokens of one issuer, without fetching its keys each time. */
    public static Verifier verifier(JWKSet keys) {
        DefaultJWTProcessor<SecurityContext> processor = new DefaultJWTProcessor<>();
        processor.setJWSTypeVerifier(new DefaultJOSEObjectTypeVerifier<>(JOSEObjectType.JWT));
        processor.setJWSKeySelector(new JWSVerificationKeySelector<>(JWSAlgorithm.RS256, new ImmutableJWKSet<>(keys)));
        // Only the signature here: callers assert the claims themselves, exactly.
        processor.setJWTClaimsSetVerifier((claims, context) -> { });
        return jwt -> {
            try {
                return processor.process(jwt, null);
            } catch (ParseException | BadJOSEException | JOSEException e) {
                throw new AssertionError("the token does not verify with the issuer's published keys: " + e.getMessage(), e);
            }
        };
    }

    public interface Verifier {
        JWTClaimsSet verify(String jwt);
    }

    private static String get(String url) throws IOException, InterruptedException {
        HttpResponse<String> response = HTTP.send(HttpRequest.newBuilder(URI.create(url))
                .timeout(Duration.ofSeconds(10)).GET().build(), HttpResponse.BodyHandlers.ofString());
        assertThat("GET " + url + ": " + response.body(), response.statusCode(), is(200));
        return response.body();
    }
}
