package dev.machineoidc.keycloak.it;

import com.fasterxml.jackson.databind.JsonNode;
import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.crypto.RSASSAVerifier;
import com.nimbusds.jose.jwk.Curve;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jose.jwk.gen.ECKeyGenerator;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import dev.machineoidc.arquillian.JsonResponse;
import dev.machineoidc.arquillian.KeycloakServer;
import dev.machineoidc.keycloak.it.support.Http;
import dev.machineoidc.keycloak.it.support.Keycloak;
import dev.machineoidc.keycloak.it.support.MintAssertions;
import dev.machineoidc.keycloak.it.support.MintOfOne;
import dev.machineoidc.keycloak.it.support.Poll;
import dev.machineoidc.keycloak.it.support.TestMachine;
import dev.machineoidc.testing.PostgresExtension;
import org.jboss.arquillian.container.test.api.Deployment;
import org.jboss.arquillian.container.test.api.OperateOnDeployment;
import org.jboss.arquillian.container.test.api.TargetsContainer;
import org.jboss.arquillian.junit5.ArquillianExtension;
import org.jboss.arquillian.test.api.ArquillianResource;
import org.jboss.shrinkwrap.api.spec.JavaArchive;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import java.util.concurrent.CyclicBarrier;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import static dev.machineoidc.keycloak.it.MintIT.assertError;
import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.containsInAnyOrder;
import static org.hamcrest.Matchers.is;

/**
 * The extension on a real two-node Keycloak cluster sharing a real PostgreSQL: what one node writes, the other serves;
 * a revoked machine gets nothing on any node; an enrollment token is single use across the cluster, even when two
 * nodes race for it.
 * <p>
 * The extension order is the point of the two {@code @ExtendWith}: JUnit calls {@code beforeAll} in registration
 * order, so PostgreSQL accepts connections before Arquillian's {@code beforeAll} launches the nodes (checked by
 * {@link #postgresWasReadyBeforeEitherNodeStarted()}), and stops only after they are gone ({@link #stopNodes()}).
 * Both nodes share one public URL (arquillian.xml), as they would behind a load balancer; a machine's mint assertion
 * names no URL anyway, so it is good on either node. Each request goes to the node the test names.
 */
@ExtendWith(PostgresExtension.class)
@ExtendWith(ArquillianExtension.class)
class ClusterIT {

    static final String NODE_1 = "node-1";
    static final String NODE_2 = "node-2";
    /** The nodes' {@code --hostname} in arquillian.xml. */
    static final String PUBLIC_URL = "http://keycloak.cluster.test";
    /** Each node is ready only after it joined, so this is a margin for the log to be written. */
    static final Duration CLUSTER_FORMED = Duration.ofSeconds(30);
    /** For the report: how soon after a change was acknowledged by one node the other node answered accordingly. */
    static final List<String> OBSERVED = new ArrayList<>();

    /** {@code ISPN000094: Received new cluster view for channel ISPN: [node-1(v=16.0.14)|1] (2) [node-1(v=16.0.14), node-2(v=16.0.14)]} */
    private static final Pattern CLUSTER_VIEW = Pattern.compile("ISPN000094: Received new cluster view for channel \\S+: "
            + "\\[[^|\\]]+\\|\\d+\\] \\((\\d+)\\) \\[([^\\]]*)\\]");
    private static final String DIGEST = "sha256:2c1cdaded1b3820020c9dc9fdd1d6e798d6f6ca36861bb6ae64019fad6be9ee3";

    private static KeycloakServer launched1;
    private static KeycloakServer launched2;
    private static boolean clusterFormed;
    private static AssertionError clusterNotFormed;

    @Deployment(name = NODE_1, order = 1, testable = false)
    @TargetsContainer("keycloak-node-1")
    public static JavaArchive providerOnNode1() {
        return ProviderDeployment.provider();
    }

    @Deployment(name = NODE_2, order = 2, testable = false)
    @TargetsContainer("keycloak-node-2")
    public static JavaArchive providerOnNode2() {
        return ProviderDeployment.provider();
    }

    @ArquillianResource
    @OperateOnDeployment(NODE_1)
    KeycloakServer server1;

    @ArquillianResource
    @OperateOnDeployment(NODE_2)
    KeycloakServer server2;

    private Keycloak node1;
    private Keycloak node2;
    private String admin1;
    private String admin2;

    @BeforeEach
    void connect() throws Exception {
        launched1 = server1;
        launched2 = server2;
        node1 = new Keycloak(server1.baseUrl().toString());
        node2 = new Keycloak(server2.baseUrl().toString());
        admin1 = server1.adminAccessToken();
        admin2 = server2.adminAccessToken();
        if (clusterNotFormed != null) {
            throw clusterNotFormed;
        }
        if (!clusterFormed) {
            try {
                Poll.until("one cluster view with both nodes in both nodes' logs", CLUSTER_FORMED,
                        () -> hasTwoNodeView(server1.logFile()) && hasTwoNodeView(server2.logFile()));
            } catch (AssertionError e) {
                clusterNotFormed = e;
                throw e;
            }
            clusterFormed = true;
        }
    }

    /** Ends the nodes while their database still runs: PostgresExtension's afterAll comes after this. */
    @AfterAll
    static void stopNodes() throws Exception {
        OBSERVED.forEach(line -> System.out.println("ClusterIT " + line));
        for (KeycloakServer server : new KeycloakServer[] {launched2, launched1}) {
            if (server != null) {
                server.stop();
            }
        }
    }

    @Test
    void postgresWasReadyBeforeEitherNodeStarted() throws IOException {
        Instant ready = PostgresExtension.readyAt();
        assertThat("PostgresExtension ran its beforeAll", ready != null, is(true));
        for (KeycloakServer server : List.of(server1, server2)) {
            Instant started = firstStartCommand(server.logFile());
            assertThat(server.logFile() + ": kc.sh start at " + started + ", PostgreSQL ready at " + ready,
                    started.isAfter(ready), is(true));
        }
    }

    @Test
    void theNodesFormOneClusterOverTheSharedDatabase() throws IOException {
        for (KeycloakServer server : List.of(server1, server2)) {
            assertThat(server.logFile() + " shows a view of both nodes", hasTwoNodeView(server.logFile()), is(true));
        }
        // jdbc-ping: each node registered its address in the shared database, which is how the other found it.
        String members = PostgresExtension.query("SELECT string_agg(name, ',' ORDER BY name) FROM jgroups_ping");
        assertThat(List.of(members.split(",")), containsInAnyOrder(NODE_1, NODE_2));
        // Keycloak's own tables are in PostgreSQL: an org created through node 1 is a row there, and node 2 serves it.
        String org = org();
        Keycloak.assertCreated(node1.createOrg(admin1, org));
        assertThat(PostgresExtension.query("SELECT count(*) FROM realm WHERE name = '" + org + "'"), is("1"));
        assertThat(node2.http().get(node2.admin(org, "/machine-oidc/settings"), admin2).status(), is(200));
    }

    @Test
    void whatOneNodeCreatesTheOtherServesAndAMachineEnrolledOnNode2MintsOnNode1() throws Exception {
        String org = org();
        Keycloak.assertCreated(node1.createOrg(admin1, org));
        Keycloak.assertCreated(node1.createApp(admin1, org, "app"));
        JsonNode created = Keycloak.assertCreated(node1.createMachine(admin1, org, "app", spec("m"))).json();
        String machineId = created.get("machine_id").asText();
        String path = "/machine-oidc/apps/app/machines/" + machineId;
        // Node 1 now caches the machine as not enrolled: the enrollment on node 2 must reach that cache.
        assertThat(node1.http().get(node1.admin(org, path), admin1).json().get("enrolled").asBoolean(), is(false));

        JsonResponse apps = node2.http().get(node2.admin(org, "/machine-oidc/apps"), admin2);
        assertThat(apps.body(), apps.status(), is(200));
        assertThat(apps.json().get(0).get("app_name").asText(), is("app"));
        JsonResponse onNode2 = node2.http().get(node2.admin(org, path), admin2);
        assertThat(onNode2.body(), onNode2.status(), is(200));
        assertThat(onNode2.json().get("machine_version").asText(), is(created.get("machine_version").asText()));
        assertThat(onNode2.json().get("image_digest").asText(), is(DIGEST));

        Machine machine = new Machine(org, created).enroll(node2);
        assertThat(machine.clientId, is("machine:m@app"));

        JsonResponse seen = firstRequestAfter(Instant.now(), NODE_1 + " shows the machine enrolled on " + NODE_2,
                () -> node1.http().get(node1.admin(org, path), admin1));
        assertThat(seen.body(), seen.json().get("enrolled").asBoolean(), is(true));
        machine.signAssertion();
        String jwt = machine.mint(node1, "{\"aud\":\"sts.amazonaws.com\"}");

        // Signed with the realm key both nodes share: node 2's published keys verify node 1's token.
        JWTClaimsSet claims = verifyWithKeysOf(node2, org, jwt);
        assertThat(claims.getSubject(), is(org + ":app:m"));
        assertThat(claims.getStringClaim("machine_id"), is(machineId));
        assertThat(claims.getIssuer(), is(PUBLIC_URL + "/realms/" + org));
        assertThat(claims.getAudience(), is(List.of("sts.amazonaws.com")));
    }

    @Test
    void aMachineRevokedOnOneNodeGetsNothingOnTheOther() {
        String org = org();
        Keycloak.assertCreated(node1.createOrg(admin1, org));
        Keycloak.assertCreated(node1.createApp(admin1, org, "app"));
        // Both directions, twice each: delete on node 1 and mint on node 2, then the other way round.
        for (int round = 0; round < 4; round++) {
            Keycloak deleter = round % 2 == 0 ? node1 : node2;
            String deleterAdmin = round % 2 == 0 ? admin1 : admin2;
            Keycloak other = round % 2 == 0 ? node2 : node1;
            String otherName = round % 2 == 0 ? NODE_2 : NODE_1;
            Machine machine = new Machine(org, Keycloak.assertCreated(
                    node1.createMachine(admin1, org, "app", spec("m" + round))).json()).enroll(node1).signAssertion();
            // The same assertion mints on both nodes, so both have the machine and its key cached.
            machine.mint(node1, "{}");
            machine.mint(node2, "{}");

            JsonResponse deleted = deleter.http().send("DELETE",
                    deleter.admin(org, "/machine-oidc/apps/app/machines/" + machine.machineId), deleterAdmin, null, null);
            assertThat(deleted.body(), deleted.status(), is(204));
            Instant revoked = Instant.now();

            // No retry: the very next mint on the other node, with the same unexpired assertion, gets nothing.
            JsonResponse next = firstRequestAfter(revoked, otherName + " refuses a machine revoked through the other node",
                    () -> machine.tryMint(other, "{}"));
            assertError(next, 403, "machine_revoked");
            assertError(machine.tryMint(deleter, "{}"), 403, "machine_revoked");
            machine.signAssertion();
            assertError(machine.tryMint(other, "{}"), 403, "machine_revoked");
            assertError(machine.tryMint(deleter, "{}"), 403, "machine_revoked");
        }
    }

    @Test
    void anEnrollmentTokenIsSingleUseAcrossTheCluster() {
        String org = org();
        Keycloak.assertCreated(node1.createOrg(admin1, org));
        Keycloak.assertCreated(node1.createApp(admin1, org, "app"));
        JsonNode created = Keycloak.assertCreated(node1.createMachine(admin1, org, "app", spec("m"))).json();

        Machine first = new Machine(org, created);
        first.enroll(node2);
        Machine replay = new Machine(org, created);
        assertError(replay.tryEnroll(node1), 401, "invalid_enrollment_token");
        assertError(replay.tryEnroll(node2), 401, "invalid_enrollment_token");

        first.signAssertion().mint(node1, "{}");
        replay.clientId = first.clientId;
        replay.signAssertion();
        assertKeyRefused("the refused attempts did not replace the key", replay.tryMint(node1, "{}"));
        assertKeyRefused("the refused attempts did not replace the key", replay.tryMint(node2, "{}"));
    }

    @Test
    void twoNodesRacingForOneEnrollmentTokenLetExactlyOneWin() throws Exception {
        String org = org();
        Keycloak.assertCreated(node1.createOrg(admin1, org));
        Keycloak.assertCreated(node1.createApp(admin1, org, "app"));
        // Two threads of their own: the common pool may have only one on two cores, and the barrier needs both.
        ExecutorService racers = Executors.newFixedThreadPool(2);
        try {
            for (int round = 0; round < 5; round++) {
                // A fresh machine each round, so that only single use is tested here (re-keying has its own test).
                JsonNode created = Keycloak.assertCreated(node1.createMachine(admin1, org, "app", spec("m" + round))).json();
                String path = "/machine-oidc/apps/app/machines/" + created.get("machine_id").asText();
                // Both nodes load the machine and its token hash first: only the one-time store can stop the loser.
                assertThat(node1.http().get(node1.admin(org, path), admin1).status(), is(200));
                assertThat(node2.http().get(node2.admin(org, path), admin2).status(), is(200));
                race(racers, round, new Machine(org, created), new Machine(org, created));
            }
        } finally {
            racers.shutdownNow();
        }
    }

    /** One token, one enroll call per node at the same moment: one 200, one 401, and the machine has the winner's key. */
    private void race(ExecutorService racers, int round, Machine viaNode1, Machine viaNode2) throws Exception {
        CyclicBarrier start = new CyclicBarrier(2);
        Instant[] times = new Instant[4];
        Future<JsonResponse> one = racers.submit(() -> afterBarrier(start, times, 0, () -> viaNode1.tryEnroll(node1)));
        Future<JsonResponse> two = racers.submit(() -> afterBarrier(start, times, 2, () -> viaNode2.tryEnroll(node2)));
        JsonResponse a = one.get(60, TimeUnit.SECONDS);
        JsonResponse b = two.get(60, TimeUnit.SECONDS);
        // For the report: how long both calls were in flight together (negative: they did not overlap).
        long overlap = Duration.between(max(times[0], times[2]), min(times[1], times[3])).toMillis();

        assertThat("round " + round + ": " + a + " / " + b, List.of(a.status(), b.status()), containsInAnyOrder(200, 401));
        boolean node1Won = a.status() == 200;
        assertError(node1Won ? b : a, 401, "invalid_enrollment_token");
        Machine winner = node1Won ? viaNode1 : viaNode2;
        Machine loser = node1Won ? viaNode2 : viaNode1;
        winner.clientId = (node1Won ? a : b).json().get("client_id").asText();
        loser.clientId = winner.clientId;
        synchronized (OBSERVED) {
            OBSERVED.add("enrollment race round " + round + ": won by " + (node1Won ? NODE_1 : NODE_2)
                    + ", both calls in flight together for " + overlap + " ms");
        }
        // The machine holds the winner's key on both nodes, and only that one.
        winner.signAssertion().mint(node1, "{}");
        winner.mint(node2, "{}");
        loser.signAssertion();
        assertKeyRefused("round " + round + ", the loser's key on " + NODE_1, loser.tryMint(node1, "{}"));
        assertKeyRefused("round " + round + ", the loser's key on " + NODE_2, loser.tryMint(node2, "{}"));
    }

    /**
     * Re-enrolling (an admin's answer to a leaked machine key) replaces the key on every node: the old key mints
     * nowhere, and the new one works at once on a node that had the old one cached. Each node caches client
     * public keys locally; Keycloak 26.7.3 registers the cluster listener that evicts them on other nodes' changes only
     * once something on that node has created a CachePublicKeyProvider (in Keycloak itself: only the admin
     * clear-keys-cache call), so the extension has to see to it.
     */
    @Test
    void reEnrollingThroughOneNodeRetiresTheOldKeyOnTheOther() {
        String org = org();
        Keycloak.assertCreated(node1.createOrg(admin1, org));
        Keycloak.assertCreated(node1.createApp(admin1, org, "app"));
        JsonNode created = Keycloak.assertCreated(node1.createMachine(admin1, org, "app", spec("m"))).json();
        // Both nodes verify a mint assertion with the first key, so both have that key cached.
        Machine old = new Machine(org, created).enroll(node1).signAssertion();
        old.mint(node2, "{}");
        old.mint(node1, "{}");

        JsonResponse renewed = node2.http().json("POST",
                node2.admin(org, "/machine-oidc/apps/app/machines/" + old.machineId + "/enrollment"), admin2, "");
        assertThat(renewed.body(), renewed.status(), is(201));
        Machine current = new Machine(org, created).withEnrollmentToken(renewed.json().get("enrollment_token").asText())
                .enroll(node2);
        Instant reEnrolled = Instant.now();

        JsonResponse oldKey = firstRequestAfter(reEnrolled, NODE_1 + " answers a mint signed with the retired key",
                () -> old.tryMint(node1, "{}"));
        assertKeyRefused(NODE_1 + ", the retired key", oldKey);
        assertKeyRefused(NODE_2 + ", the retired key", old.signAssertion().tryMint(node2, "{}"));
        current.signAssertion();
        JsonResponse newKey = firstRequestAfter(reEnrolled, NODE_1 + " answers a mint signed with the new key",
                () -> current.tryMint(node1, "{}"));
        assertThat(NODE_1 + ", the new key: " + newKey, newKey.status(), is(200));
        current.mint(node2, "{}");
    }

    /** Issue 11: one org created at the same instant through both nodes: PostgreSQL's unique realm name decides. */
    @Test
    void simultaneousCreatesOfOneOrgOnBothNodesGiveOne201AndOnly409s() throws Exception {
        List<OrgCreationRace.Caller> callers = List.of(new OrgCreationRace.Caller(node1, server1), new OrgCreationRace.Caller(node2, server2));
        List<String> rounds = new OrgCreationRace(callers, 6).run(20);
        synchronized (OBSERVED) {
            rounds.forEach(round -> OBSERVED.add("org creation race " + round));
        }
    }

    @Test
    void anOrgSettingChangedOnNode2ShapesTheNextTokenFromNode1() {
        String org = org();
        Keycloak.assertCreated(node1.createOrg(admin1, org));
        Keycloak.assertCreated(node1.createApp(admin1, org, "app"));
        Machine machine = new Machine(org, Keycloak.assertCreated(node1.createMachine(admin1, org, "app", spec("m"))).json())
                .enroll(node1).signAssertion();
        assertThat(lifetime(machine.mint(node1, "{}")), is(600L));

        JsonResponse put = node2.http().json("PUT", node2.admin(org, "/machine-oidc/settings"), admin2,
                Map.of("token_lifetime", 900));
        assertThat(put.body(), put.status(), is(200));
        Instant changed = Instant.now();

        String next = firstRequestAfter(changed, NODE_1 + " mints with the lifetime set through " + NODE_2,
                () -> machine.mint(node1, "{}"));
        assertThat("the next token from " + NODE_1, lifetime(next), is(900L));
        assertThat(node1.http().get(node1.admin(org, "/machine-oidc/settings"), admin1).json().get("token_lifetime").asInt(), is(900));
    }

    /** The signing key lives in component notes on each node's cached realm: activation must reach every node. */
    @Test
    void aKeyActivatedOnNode2SignsTheNextTokenFromNode1() throws Exception {
        String org = org();
        Keycloak.assertCreated(node1.http().json("POST", node1.admin("master", "/machine-oidc/orgs"), admin1,
                Map.of("name", org, "jwks_cache_seconds", 0)));
        Keycloak.assertCreated(node1.createApp(admin1, org, "app"));
        Machine machine = new Machine(org, Keycloak.assertCreated(node1.createMachine(admin1, org, "app", spec("m"))).json())
                .enroll(node1).signAssertion();
        String oldKid = SignedJWT.parse(machine.mint(node1, "{}")).getHeader().getKeyID();

        JsonResponse prepared = node2.http().json("POST", node2.admin(org, "/machine-oidc/keys/prepare"), admin2, "{}");
        assertThat(prepared.body(), prepared.status(), is(201));
        String newKid = prepared.json().get("keys").get(0).get("kid").asText();
        assertThat("a next key does not sign", SignedJWT.parse(machine.mint(node1, "{}")).getHeader().getKeyID(), is(oldKid));
        Poll.until("activation through " + NODE_2 + " is allowed", Duration.ofSeconds(30), () -> node2.http()
                .json("POST", node2.admin(org, "/machine-oidc/keys/activate"), admin2, "{}").status() == 200);
        Instant activated = Instant.now();

        String next = firstRequestAfter(activated, NODE_1 + " signs with the key activated through " + NODE_2,
                () -> machine.mint(node1, "{}"));
        assertThat("the next token from " + NODE_1, SignedJWT.parse(next).getHeader().getKeyID(), is(newKid));
        verifyWithKeysOf(node1, org, next);
    }

    @Test
    void aMachinesRateLimitIsOneForTheWholeCluster() {
        String org = org();
        Keycloak.assertCreated(node1.createOrg(admin1, org));
        Keycloak.assertCreated(node1.createApp(admin1, org, "app"));
        JsonResponse limited = node1.http().json("PUT", node1.admin(org, "/machine-oidc/settings"), admin1,
                Map.of("mint_rate_limit", 0.1)); // a burst of one token, the next after 10 s
        assertThat(limited.body(), limited.status(), is(200));
        Machine machine = new Machine(org, Keycloak.assertCreated(node1.createMachine(admin1, org, "app", spec("m"))).json())
                .enroll(node1).signAssertion();

        machine.mint(node1, "{}");
        JsonResponse onNode2 = machine.tryMint(node2, "{}");

        assertError(onNode2, 429, "rate_limited");
        assertThat(onNode2.toString(), Long.parseLong(onNode2.header("Retry-After").orElseThrow()) > 0, is(true));
        assertError(machine.tryMint(node1, "{}"), 429, "rate_limited");
    }

    // --- helpers ---

    private static String org() {
        return "cluster-" + UUID.randomUUID().toString().substring(0, 8);
    }

    private static Map<String, String> spec(String name) {
        return Map.of("name", name, "region", "sea", "image", "registry.example.com/you/image:latest", "image_digest", DIGEST);
    }

    private static long lifetime(String jwt) {
        Map<String, Object> claims = TestMachine.claims(jwt);
        return ((Number) claims.get("exp")).longValue() - ((Number) claims.get("iat")).longValue();
    }

    /**
     * The first request after a change made through the other node, made once, never retried: Keycloak 26.7 sends the
     * cache invalidation as a synchronous write to the replicated work cache, whose listener runs synchronously on the
     * receiving node, so the change is there before the changing node answers. Records how soon the answer came.
     */
    private static <T> T firstRequestAfter(Instant acknowledged, String what, Supplier<T> request) {
        T answer = request.get();
        synchronized (OBSERVED) {
            OBSERVED.add(what + ": answered " + Duration.between(acknowledged, Instant.now()).toMillis()
                    + " ms after the change was acknowledged, first attempt");
        }
        return answer;
    }

    /** The mint endpoint refuses an assertion signed with a key the machine does not have (bridge protocol §2: 401). */
    private static void assertKeyRefused(String why, JsonResponse answer) {
        assertThat(why + ": " + answer, answer.status(), is(401));
        assertThat(why + ": " + answer, answer.json().get("error").asText(), is("invalid_token"));
    }

    private static JsonResponse afterBarrier(CyclicBarrier start, Instant[] times, int slot, Supplier<JsonResponse> call)
            throws Exception {
        start.await(30, TimeUnit.SECONDS);
        times[slot] = Instant.now();
        try {
            return call.get();
        } finally {
            times[slot + 1] = Instant.now();
        }
    }

    private static Instant max(Instant a, Instant b) {
        return a.isAfter(b) ? a : b;
    }

    private static Instant min(Instant a, Instant b) {
        return a.isBefore(b) ? a : b;
    }

    private static JWTClaimsSet verifyWithKeysOf(Keycloak node, String org, String jwt) throws Exception {
        JsonResponse certs = node.http().get(node.baseUrl() + "/realms/" + org + "/protocol/openid-connect/certs", null);
        assertThat(certs.body(), certs.status(), is(200));
        SignedJWT parsed = SignedJWT.parse(jwt);
        RSAKey key = JWKSet.parse(certs.body()).getKeyByKeyId(parsed.getHeader().getKeyID()).toRSAKey();
        assertThat("signature verifies with " + node.baseUrl() + "'s published key", parsed.verify(new RSASSAVerifier(key)), is(true));
        return parsed.getJWTClaimsSet();
    }

    private static boolean hasTwoNodeView(Path log) {
        try {
            Matcher view = CLUSTER_VIEW.matcher(Files.readString(log));
            while (view.find()) {
                List<String> members = Stream.of(view.group(2).split(",\\s*"))
                        .map(member -> member.replaceFirst("\\(.*\\)$", "")).toList();
                if (view.group(1).equals("2") && members.contains(NODE_1) && members.contains(NODE_2)) {
                    return true;
                }
            }
            return false;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The time of the harness's header line before the running server's {@code kc.sh start}. */
    private static Instant firstStartCommand(Path log) throws IOException {
        Pattern header = Pattern.compile("^==== (\\S+) \\S*/kc\\.sh start ", Pattern.MULTILINE);
        Matcher start = header.matcher(Files.readString(log));
        assertThat(log + " has a kc.sh start line", start.find(), is(true));
        return Instant.parse(start.group(1));
    }

    /**
     * The bridge's side of docs/bridge-protocol.md, like {@link TestMachine}, but each call names the node it goes to.
     */
    static final class Machine {

        private final Http http = new Http();
        final String org;
        final String machineId;
        private String enrollmentToken;
        private ECKey key;
        String clientId;
        private String assertion;

        Machine(String org, JsonNode created) {
            this.org = org;
            this.machineId = created.get("machine_id").asText();
            this.enrollmentToken = created.get("enrollment_token").asText();
        }

        Machine withEnrollmentToken(String token) {
            enrollmentToken = token;
            return this;
        }

        JsonResponse tryEnroll(Keycloak node) {
            try {
                key = new ECKeyGenerator(Curve.P_256).keyIDFromThumbprint(true).generate();
            } catch (JOSEException e) {
                throw new IllegalStateException(e);
            }
            return http.json("POST", node.baseUrl() + "/realms/" + org + "/machine-oidc/enroll", null, Map.of(
                    "machine_id", machineId, "enrollment_token", enrollmentToken,
                    "jwk", Http.JSON.convertValue(key.toPublicJWK().toJSONObject(), Map.class)));
        }

        Machine enroll(Keycloak node) {
            JsonResponse answer = tryEnroll(node);
            assertThat(answer.body(), answer.status(), is(200));
            clientId = answer.json().get("client_id").asText();
            return this;
        }

        Machine signAssertion() {
            assertion = MintAssertions.sign(key, clientId, org);
            return this;
        }

        JsonResponse tryMint(Keycloak node, String body) {
            return MintOfOne.answer(http.send("POST", node.baseUrl() + "/realms/" + org + "/machine-oidc/tokens", assertion,
                    "application/json", MintOfOne.body(body)));
        }

        String mint(Keycloak node, String body) {
            JsonResponse answer = tryMint(node, body);
            assertThat(node.baseUrl() + ": " + answer.body(), answer.status(), is(200));
            return answer.body();
        }
    }
}
