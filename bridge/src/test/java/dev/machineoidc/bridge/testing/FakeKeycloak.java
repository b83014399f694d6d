package dev.machineoidc.bridge.testing;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.ECDSASigner;
import com.nimbusds.jose.crypto.ECDSAVerifier;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import dev.machineoidc.bridge.identity.MachineKeys;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Date;
import java.util.Deque;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A stand-in for Keycloak's side of docs/bridge-protocol.md on 127.0.0.1: enrollment and the batch mint
 * endpoint, which checks the mint assertion against the enrolled key. Each endpoint can be scripted to answer
 * something else for its next calls.
 */
public final class FakeKeycloak implements AutoCloseable {

    public static final String ENROLLMENT_TOKEN = "enroll-me-once";
    private static final ObjectMapper JSON = new ObjectMapper();

    private final HttpServer server;
    private final ExecutorService executor = Executors.newCachedThreadPool();
    private final String org;
    private final String machineId;
    private final ECKey signingKey = MachineKeys.generate();
    private final Map<String, Deque<String[]>> scripts = new ConcurrentHashMap<>();
    private final Set<String> assertionsSeen = ConcurrentHashMap.newKeySet();
    private final AtomicInteger enrollCalls = new AtomicInteger();
    private final AtomicInteger mintCalls = new AtomicInteger();
    private final AtomicInteger badAssertions = new AtomicInteger();
    private final List<String> mintBodies = new CopyOnWriteArrayList<>();
    private final List<String> enrollBodies = new CopyOnWriteArrayList<>();
    private volatile CountDownLatch mintGate;
    private volatile JWK machineKey;
    private volatile int tokenLifetimeSeconds = 600;

    private FakeKeycloak(String org, String machineId, int port) throws IOException {
        this.org = org;
        this.machineId = machineId;
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 50);
        server.setExecutor(executor);
        server.createContext("/realms/" + org + "/machine-oidc/enroll", this::enroll);
        server.createContext("/realms/" + org + "/machine-oidc/tokens", this::mint);
        server.start();
    }

    public static FakeKeycloak start(String org, String machineId) throws IOException {
        return new FakeKeycloak(org, machineId, 0);
    }

    public static FakeKeycloak start(String org, String machineId, int port) throws IOException {
        return new FakeKeycloak(org, machineId, port);
    }

    public URI baseUrl() {
        return URI.create("http://127.0.0.1:" + server.getAddress().getPort());
    }

    public String clientId() {
        return "machine-" + machineId;
    }

    /** Accept mint assertions signed by this key, as if it had been enrolled. */
    public void trustKey(JWK publicKey) {
        machineKey = publicKey;
    }

    public void tokenLifetimeSeconds(int seconds) {
        tokenLifetimeSeconds = seconds;
    }

    public void scriptEnroll(int status, String body) {
        script("enroll", status, body);
    }

    public void scriptMint(int status, String body) {
        script("mint", status, body);
    }

    /** Mint calls from now on wait for {@link #releaseMints()} before they are answered (or until {@link #close()}). */
    public void holdMints() {
        mintGate = new CountDownLatch(1);
    }

    public void releaseMints() {
        CountDownLatch gate = mintGate;
        mintGate = null;
        if (gate != null) {
            gate.countDown();
        }
    }

    public int enrollCalls() {
        return enrollCalls.get();
    }

    /** How many different valid assertions the mint endpoint has seen: how often the bridge signed one. */
    public int distinctAssertions() {
        return assertionsSeen.size();
    }

    public int mintCalls() {
        return mintCalls.get();
    }

    public int badAssertions() {
        return badAssertions.get();
    }

    public List<String> mintBodies() {
        return mintBodies;
    }

    public List<String> enrollBodies() {
        return enrollBodies;
    }

    public JWK enrolledKey() {
        return machineKey;
    }

    @Override
    public void close() {
        server.stop(0);
        executor.shutdownNow();
    }

    private void script(String endpoint, int status, String body) {
        scripts.computeIfAbsent(endpoint, k -> new ArrayDeque<>()).add(new String[] {Integer.toString(status), body});
    }

    private boolean answerScripted(String endpoint, HttpExchange exchange) throws IOException {
        Deque<String[]> queue = scripts.get(endpoint);
        String[] next;
        synchronized (this) {
            next = queue == null ? null : queue.poll();
        }
        if (next == null) {
            return false;
        }
        respond(exchange, Integer.parseInt(next[0]), next[1].startsWith("{") ? "application/json" : "text/plain", next[1]);
        return true;
    }

    private void enroll(HttpExchange exchange) throws IOException {
        enrollCalls.incrementAndGet();
        String body = new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
        enrollBodies.add(body);
        if (answerScripted("enroll", exchange)) {
            return;
        }
        try {
            JsonNode json = JSON.readTree(body);
            if (!ENROLLMENT_TOKEN.equals(json.path("enrollment_token").asText()) || !machineId.equals(json.path("machine_id").asText())) {
                respond(exchange, 401, "application/json", "{\"error\":\"invalid_enrollment_token\",\"message\":\"no\"}");
                return;
            }
            JWK key = JWK.parse(json.path("jwk").toString());
            if (key.isPrivate()) {
                respond(exchange, 400, "application/json", "{\"error\":\"invalid_key\",\"message\":\"private\"}");
                return;
            }
            machineKey = key;
            Map<String, Object> answer = new HashMap<>();
            answer.put("client_id", clientId());
            respond(exchange, 200, "application/json", JSON.writeValueAsString(answer));
        } catch (JsonProcessingException | java.text.ParseException e) {
            respond(exchange, 400, "application/json", "{\"error\":\"invalid_request\",\"message\":\"bad json\"}");
        }
    }

    /** The rules of docs/bridge-protocol.md §2 but time: the tests move the bridge's clock, not this server's. */
    private boolean validAssertion(String authorization) {
        try {
            if (machineKey == null || authorization == null || !authorization.startsWith("Bearer ")) {
                return false;
            }
            SignedJWT assertion = SignedJWT.parse(authorization.substring("Bearer ".length()));
            JWTClaimsSet claims = assertion.getJWTClaimsSet();
            long lifetime = claims.getExpirationTime().getTime() - claims.getIssueTime().getTime();
            return assertion.getHeader().getAlgorithm().equals(JWSAlgorithm.ES256)
                    && "machine-mint+jwt".equals(assertion.getHeader().getType().getType())
                    && machineKey.getKeyID().equals(assertion.getHeader().getKeyID())
                    && assertion.verify(new ECDSAVerifier(machineKey.toECKey()))
                    && clientId().equals(claims.getIssuer())
                    && clientId().equals(claims.getSubject())
                    && List.of("urn:machine-oidc:mint:" + org).equals(claims.getAudience())
                    && lifetime == 300_000;
        } catch (java.text.ParseException | JOSEException | RuntimeException e) {
            return false;
        }
    }

    private void mint(HttpExchange exchange) throws IOException {
        mintCalls.incrementAndGet();
        String body = new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
        mintBodies.add(body);
        CountDownLatch gate = mintGate;
        if (gate != null) {
            try {
                gate.await();
            } catch (InterruptedException e) {
                exchange.close();
                return;
            }
        }
        if (answerScripted("mint", exchange)) {
            return;
        }
        String authorization = exchange.getRequestHeaders().getFirst("Authorization");
        if (!validAssertion(authorization)) {
            badAssertions.incrementAndGet();
            respond(exchange, 401, "application/json", "{\"error\":\"invalid_token\",\"message\":\"who?\"}");
            return;
        }
        assertionsSeen.add(authorization);
        JsonNode requests;
        try {
            requests = JSON.readTree(body).path("requests");
        } catch (JsonProcessingException e) {
            requests = null;
        }
        if (requests == null || !requests.isArray() || requests.isEmpty() || requests.size() > SharedRules.batchLimit()) {
            respond(exchange, 400, "application/json", "{\"error\":\"invalid_request\",\"message\":\"bad batch\"}");
            return;
        }
        List<Map<String, Object>> results = new ArrayList<>(requests.size());
        for (int i = 0; i < requests.size(); i++) {
            results.add(Map.of("token", signedToken()));
        }
        respond(exchange, 200, "application/json", JSON.writeValueAsString(Map.of("results", results)));
    }

    /** A token shaped like the real ones: fresh jti, exp - iat = the org's lifetime. */
    public String signedToken() {
        Instant now = Instant.now();
        JWTClaimsSet claims = new JWTClaimsSet.Builder()
                .issuer(baseUrl() + "/realms/" + org)
                .subject(org + ":app:machine")
                .jwtID(UUID.randomUUID().toString())
                .issueTime(Date.from(now))
                .expirationTime(Date.from(now.plusSeconds(tokenLifetimeSeconds)))
                .build();
        SignedJWT jwt = new SignedJWT(new JWSHeader(JWSAlgorithm.ES256), claims);
        try {
            jwt.sign(new ECDSASigner(signingKey));
        } catch (JOSEException e) {
            throw new IllegalStateException(e);
        }
        return jwt.serialize();
    }

    private static void respond(HttpExchange exchange, int status, String contentType, String body) throws IOException {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().set("Content-Type", contentType);
        exchange.sendResponseHeaders(status, bytes.length == 0 ? -1 : bytes.length);
        if (bytes.length > 0) {
            exchange.getResponseBody().write(bytes);
        }
        exchange.close();
    }
}
