package dev.machineoidc.bridge.it;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.endsWith;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.everyItem;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.hasSize;
import static org.hamcrest.Matchers.is;
import static org.hamcrest.Matchers.matchesPattern;
import static org.hamcrest.Matchers.not;
import static org.hamcrest.Matchers.startsWith;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.nimbusds.jose.jwk.JWK;
import dev.machineoidc.bridge.testing.Await;
import dev.machineoidc.bridge.testing.LogCapture;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.eclipse.jetty.client.ContentResponse;
import org.eclipse.jetty.client.InputStreamRequestContent;
import org.eclipse.jetty.client.StringRequestContent;
import org.eclipse.jetty.http.HttpHeader;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import dev.machineoidc.testing.ContractClaims;

/**
 * The contract's socket API, end to end: a real bridge on a real unix socket, backed by the real Keycloak with the
 * provider. Every status the contract names except 503 (see {@link KeycloakOutageIT}).
 */
@Timeout(120)
class SocketApiIT extends WithKeycloak {

    private static final String STS = "sts.amazonaws.com";
    private static final ObjectMapper JSON = new ObjectMapper();

    /** One org, app and enrolled bridge shared by the tests that change nothing on the server. */
    private static Machine machine;
    private static RunningBridge bridge;

    private Provisioner provisioner;

    @BeforeEach
    void shared() throws Exception {
        provisioner = new Provisioner(server);
        if (bridge == null) {
            machine = provisioner.newOrgWithMachine("bridge-api");
            bridge = RunningBridge.start(server.baseUrl(), machine, options -> options);
        }
    }

    @AfterAll
    static void stopBridge() throws Exception {
        if (bridge != null) {
            bridge.close();
            bridge = null;
        }
    }

    @Test
    void answers200WithTheBareJwtAsPlainTextWhichVerifiesThroughDiscovery() throws Exception {
        ContentResponse response = bridge.mint("{\"aud\":\"" + STS + "\"}");

        assertThat(response.getContentAsString(), response.getStatus(), is(200));
        assertThat(response.getHeaders().get(HttpHeader.CONTENT_TYPE), is("text/plain"));
        String body = response.getContentAsString();
        assertThat("no trailing newline", body, not(endsWith("\n")));
        assertThat(response.getHeaders().getLongField(HttpHeader.CONTENT_LENGTH), is((long) body.length()));
        ContractToken.assertValid(body, machine, STS, ContractToken.DEFAULT_LIFETIME);
    }

    @Test
    void theContractsCurlExampleGetsAVerifiableToken() throws Exception {
        Curl.Result curl = Curl.contractExample(bridge.socket(), "{\"aud\":\"sts.amazonaws.com\"}");

        assertThat(curl.stderr(), curl.exitCode(), is(0));
        assertThat("curl prints the token alone, without a newline", curl.stdout(), matchesPattern(ContractToken.JWT));
        ContractToken.assertValid(curl.stdout(), machine, STS, ContractToken.DEFAULT_LIFETIME);
    }

    @Test
    void everyCallMintsAFreshTokenWithItsOwnJti() throws Exception {
        String first = bridge.mint("{\"aud\":\"" + STS + "\"}").getContentAsString();
        String second = bridge.mint("{\"aud\":\"" + STS + "\"}").getContentAsString();

        assertThat(ContractToken.jti(first), matchesPattern("[0-9a-f-]{36}"));
        assertThat(ContractToken.jti(second), matchesPattern("[0-9a-f-]{36}"));
        assertThat(ContractToken.jti(second), not(equalTo(ContractToken.jti(first))));
        assertThat(second, not(equalTo(first)));
    }

    @Test
    void concurrentCallsOnAFreshBridgeAllGetTheirOwnToken() throws Exception {
        Machine burst = provisioner.newMachine(machine, "burst");
        try (RunningBridge own = RunningBridge.start(server.baseUrl(), burst, options -> options)) {
            // No assertion yet: the first callers all need one at the same moment.
            List<String> tokens = mintAtOnce(own, 16);

            for (String token : tokens) {
                assertThat(ContractClaims.payload(token).path("sub").asText(), is(burst.subject()));
            }
            assertThat(tokens.stream().map(ContractToken::jti).collect(Collectors.toSet()), hasSize(16));
        }
    }

    /** Callers arriving while a call to Keycloak is out share the next one: each still gets its own valid token. */
    @Test
    void aBurstOfCallsSharingBatchesGetsValidTokensEachWithItsOwnJti() throws Exception {
        List<String> tokens = mintAtOnce(bridge, 32);

        for (String token : tokens) {
            ContractToken.assertValid(token, machine, STS, ContractToken.DEFAULT_LIFETIME);
        }
        assertThat(tokens.stream().map(ContractToken::jti).collect(Collectors.toSet()), hasSize(32));
    }

    /** {@code calls} requests for {@link #STS}, all let go at the same moment; asserts each got a 200. */
    private static List<String> mintAtOnce(RunningBridge target, int calls) throws Exception {
        ExecutorService callers = Executors.newFixedThreadPool(calls);
        try {
            CountDownLatch go = new CountDownLatch(1);
            List<Future<ContentResponse>> answers = new ArrayList<>();
            for (int i = 0; i < calls; i++) {
                answers.add(callers.submit(() -> {
                    go.await();
                    return target.mint("{\"aud\":\"" + STS + "\"}");
                }));
            }
            go.countDown();
            List<String> tokens = new ArrayList<>();
            for (Future<ContentResponse> answer : answers) {
                ContentResponse response = answer.get(30, TimeUnit.SECONDS);
                assertThat(response.getContentAsString(), response.getStatus(), is(200));
                tokens.add(response.getContentAsString());
            }
            return tokens;
        } finally {
            callers.shutdownNow();
        }
    }

    @Test
    void withoutABodyTheAudienceIsTheIssuerAndAwsTagsComeOnlyWhenAsked() throws Exception {
        ContentResponse empty = bridge.mint(null);
        ContentResponse emptyObject = bridge.mint("{}");
        ContentResponse tagged = bridge.mint("{\"aud\":\"" + STS + "\",\"aws_principal_tags\":true,\"ignored\":[1]}");

        assertThat(empty.getContentAsString(), empty.getStatus(), is(200));
        ContractToken.assertValid(empty.getContentAsString(), machine, machine.issuer(), ContractToken.DEFAULT_LIFETIME);
        assertThat(emptyObject.getStatus(), is(200));
        assertThat(ContractClaims.payload(emptyObject.getContentAsString()).path("aud").asText(), is(machine.issuer()));
        assertThat(tagged.getContentAsString(), tagged.getStatus(), is(200));
        JsonNode tags = ContractClaims.payload(tagged.getContentAsString()).path("https://aws.amazon.com/tags");
        assertThat(tags.path("principal_tags").path("machine_id").get(0).asText(), is(machine.id()));
        assertThat(tags.path("principal_tags").path("org_name").get(0).asText(), is(machine.org()));
        assertThat(tags.path("transitive_tag_keys").isArray(), is(true));
        assertThat(ContractToken.claimNames(empty.getContentAsString()), not(hasItem("https://aws.amazon.com/tags")));
    }

    @Test
    void malformedJsonWrongTypesAndInvalidAudiencesAre400() throws Exception {
        Map<String, String> expected = new LinkedHashMap<>();
        expected.put("{\"aud\":", "invalid_request");
        expected.put("not json", "invalid_request");
        expected.put("[\"sts.amazonaws.com\"]", "invalid_request");
        expected.put("{\"aud\":\"sts.amazonaws.com\"} {}", "invalid_request");
        expected.put("{\"aud\":42}", "invalid_request");
        expected.put("{\"aud\":[\"sts.amazonaws.com\"]}", "invalid_request");
        expected.put("{\"aws_principal_tags\":\"yes\"}", "invalid_request");
        expected.put("{\"aud\":\"\"}", "invalid_audience");
        expected.put("{\"aud\":\"" + "a".repeat(257) + "\"}", "invalid_audience");
        expected.put("{\"aud\":\"sts\\u0007amazonaws.com\"}", "invalid_audience");

        for (Map.Entry<String, String> bad : expected.entrySet()) {
            assertError(bridge.mint(bad.getKey()), 400, bad.getValue());
        }
        ContentResponse longest = bridge.mint("{\"aud\":\"" + "a".repeat(256) + "\"}");
        assertThat("256 characters is still a valid audience: " + longest.getContentAsString(),
                longest.getStatus(), is(200));
    }

    @Test
    void unknownPathsAre404() throws Exception {
        for (String path : List.of("/", "/v1/tokens", "/v1/tokens/oidc/extra", "/v1/tokens/OIDC", "/v2/tokens/oidc")) {
            assertError(bridge.send("POST", path, new StringRequestContent("application/json", "{}")), 404, "not_found");
        }
    }

    @Test
    void otherMethodsThanPostAre405() throws Exception {
        for (String method : List.of("GET", "PUT", "DELETE", "PATCH")) {
            ContentResponse response = bridge.send(method, "/v1/tokens/oidc", null);
            assertError(response, 405, "method_not_allowed");
            assertThat(response.getHeaders().get(HttpHeader.ALLOW), is("POST"));
        }
    }

    @Test
    void bodiesOver16KiBAre413AndExactly16KiBIsServed() throws Exception {
        String exactly16KiB = padded(16 * 1024);
        String oneByteMore = padded(16 * 1024 + 1);

        ContentResponse atLimit = bridge.mint(exactly16KiB);
        assertThat(atLimit.getContentAsString(), atLimit.getStatus(), is(200));
        assertThat(ContractClaims.payload(atLimit.getContentAsString()).path("aud").asText(), is(STS));
        assertError(bridge.mint(oneByteMore), 413, "request_too_large");
        // Without Content-Length (chunked), the bridge must still stop reading at the limit.
        ContentResponse chunked = bridge.newRequest("POST", "/v1/tokens/oidc")
                .body(new InputStreamRequestContent("application/json",
                        new ByteArrayInputStream(padded(64 * 1024).getBytes(StandardCharsets.US_ASCII))))
                .send();
        assertError(chunked, 413, "request_too_large");
    }

    @Test
    void anAudienceOutsideTheOrgsPolicyIs403() throws Exception {
        Machine restricted = provisioner.newOrgWithMachine("bridge-policy");
        JsonNode settings = provisioner.putSettings(restricted, Map.of("allowed_audiences", List.of(STS)));
        assertThat(settings.path("allowed_audiences").get(0).asText(), is(STS));

        try (RunningBridge own = RunningBridge.start(server.baseUrl(), restricted, options -> options)) {
            assertError(own.mint("{\"aud\":\"https://vault.example.com\"}"), 403, "audience_not_allowed");
            ContentResponse allowed = own.mint("{\"aud\":\"" + STS + "\"}");
            assertThat(allowed.getContentAsString(), allowed.getStatus(), is(200));
            ContractToken.assertValid(allowed.getContentAsString(), restricted, STS, ContractToken.DEFAULT_LIFETIME);
        }
    }

    @Test
    void aRevokedMachineGets403() throws Exception {
        Machine doomed = provisioner.newMachine(machine, "doomed");
        try (RunningBridge own = RunningBridge.start(server.baseUrl(), doomed, options -> options)) {
            assertThat(own.mint("{}").getStatus(), is(200));

            provisioner.revoke(doomed);

            assertError(own.mint("{\"aud\":\"" + STS + "\"}"), 403, "machine_revoked");
            assertError(own.mint("{}"), 403, "machine_revoked");
        }
    }

    @Test
    void logLinesNameMachineAudStatusAndLatencyButNeverASecret() throws Exception {
        Machine logged = provisioner.newMachine(machine, "logged");
        List<String> tokens = new ArrayList<>();
        String privateKey;
        List<String> access;
        String everything;
        try (LogCapture log = LogCapture.start();
             RunningBridge own = RunningBridge.start(server.baseUrl(), logged, options -> options)) {
            ContentResponse ok = own.mint("{\"aud\":\"" + STS + "\"}");
            assertThat(ok.getStatus(), is(200));
            tokens.add(ok.getContentAsString());
            ContentResponse defaulted = own.mint("");
            assertThat(defaulted.getStatus(), is(200));
            tokens.add(defaulted.getContentAsString());
            assertThat(own.mint("{\"aud\":42}").getStatus(), is(400));
            assertThat(own.send("GET", "/v1/tokens/oidc", null).getStatus(), is(405));
            privateKey = JWK.parse(Files.readString(own.stateDir().resolve("machine-key.json")))
                    .toJSONObject().get("d").toString();
            // The access line is written once the answer is out, so it may trail the answer a little.
            Await.until(Duration.ofSeconds(5), () -> log.accessLines().size() >= 4, "four access log lines");
            access = log.accessLines();
            everything = log.text();
        }

        assertThat(everything, access, hasSize(4));
        assertThat(access, everyItem(containsString("machine=" + logged.id())));
        assertThat(access, everyItem(matchesPattern(".* ms=\\d+$")));
        assertThat(access.get(0), containsString("aud=\"" + STS + "\""));
        assertThat(access.get(0), containsString("status=200"));
        assertThat(access.get(1), containsString("status=200"));
        assertThat(access.get(2), containsString("status=400"));
        assertThat(access.get(2), containsString("error=invalid_request"));
        assertThat(access.get(3), containsString("status=405"));
        assertThat(access.get(3), containsString("error=method_not_allowed"));
        assertThat("the log covers the start too", everything, containsString("Listening on"));
        for (String token : tokens) {
            assertThat(everything, not(containsString(token)));
            assertThat(everything, not(containsString(token.substring(token.lastIndexOf('.') + 1))));
        }
        assertThat(everything, not(containsString(logged.enrollmentToken())));
        assertThat(everything, not(containsString(privateKey)));
        assertThat("no JWT of any kind (token, mint assertion)", everything, not(containsString("eyJ")));
    }

    private static String padded(int size) {
        String start = "{\"aud\":\"" + STS + "\",\"padding\":\"";
        String end = "\"}";
        return start + "x".repeat(size - start.length() - end.length()) + end;
    }

    static void assertError(ContentResponse response, int status, String code) throws Exception {
        String body = response.getContentAsString();
        assertThat(body, response.getStatus(), is(status));
        assertThat(response.getHeaders().get(HttpHeader.CONTENT_TYPE), startsWith("application/json"));
        JsonNode json = JSON.readTree(body);
        Set<String> fields = new HashSet<>();
        json.fieldNames().forEachRemaining(fields::add);
        assertThat(body, fields, equalTo(Set.of("error", "message")));
        assertThat(json.path("error").asText(), is(code));
        assertThat(json.path("message").asText().isBlank(), is(false));
        assertThat("no token in an error", body, not(containsString("eyJ")));
    }
}
