package dev.machineoidc.bridge.it;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.greaterThan;
import static org.hamcrest.Matchers.hasSize;
import static org.hamcrest.Matchers.is;
import static org.hamcrest.Matchers.lessThan;
import static org.hamcrest.Matchers.notNullValue;

import dev.machineoidc.bridge.testing.Await;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;
import org.eclipse.jetty.client.ContentResponse;
import org.eclipse.jetty.http.HttpHeader;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Keycloak goes away and comes back under a running bridge: callers get a prompt 503 with {@code Retry-After}
 * instead of a hang, and the same bridge (never restarted) mints again once Keycloak is up. Self-contained: the
 * server is started (or thawed) again whatever happens, so the order of the IT classes and methods does not matter.
 */
@Timeout(300)
class KeycloakOutageIT extends WithKeycloak {

    private static final String BODY = "{\"aud\":\"sts.amazonaws.com\"}";
    private static final Duration PROMPT = Duration.ofSeconds(2);
    private static final Duration RECOVERY = Duration.ofSeconds(60);
    /** The bridge's budget for one request is 1.8 s; a little for the socket round trip on a busy machine. */
    private static final Duration HUNG_PROMPT = Duration.ofMillis(2500);

    @Test
    void keycloakStoppedGives503FastAndTheBridgeRecoversByItself() throws Exception {
        Provisioner provisioner = new Provisioner(server);
        Machine machine = provisioner.newOrgWithMachine("bridge-outage");
        try (RunningBridge bridge = RunningBridge.start(server.baseUrl(), machine, options -> options)) {
            assertThat(bridge.mint(BODY).getStatus(), is(200));

            server.stop();
            try {
                assertThat(server.isRunning(), is(false));
                for (int call = 0; call < 3; call++) {
                    long started = System.nanoTime();
                    ContentResponse down = bridge.mint(BODY);
                    Duration took = Duration.ofNanos(System.nanoTime() - started);

                    assertThat("call " + call + " took " + took.toMillis() + " ms", took, lessThan(PROMPT));
                    SocketApiIT.assertError(down, 503, "keycloak_unavailable");
                    String retryAfter = down.getHeaders().get(HttpHeader.RETRY_AFTER);
                    assertThat("Retry-After", retryAfter, notNullValue());
                    assertThat(Integer.parseInt(retryAfter), greaterThan(0));
                }
                Curl.Result curl = Curl.postWithStatus(bridge.socket(), BODY, List.of());
                assertThat(curl.body(), curl.status(), is(503));
            } finally {
                server.start();
            }

            assertRecovers(bridge, machine, "Keycloak is back");
            assertThat("the admin API works again for the rest of the suite",
                    provisioner.settings(machine).path("token_lifetime").asInt(), is(ContractToken.DEFAULT_LIFETIME));
        }
    }

    /**
     * Keycloak's JVM frozen (SIGSTOP): its port still accepts connections but nothing answers. The bridge's own
     * deadline (1.8 s for a whole request) must still answer 503, and the next call after SIGCONT succeeds.
     */
    @Test
    void aHungKeycloakGives503WithinTheBridgesDeadline() throws Exception {
        Machine machine = new Provisioner(server).newOrgWithMachine("bridge-hang");
        List<ProcessHandle> keycloak = ProcessHandle.current().descendants()
                .filter(p -> p.info().commandLine().orElse("").contains("QuarkusEntryPoint"))
                .toList();
        assertThat("the Keycloak JVM among this JVM's child processes", keycloak, hasSize(1));
        long pid = keycloak.get(0).pid();
        try (RunningBridge bridge = RunningBridge.start(server.baseUrl(), machine, options -> options)) {
            assertThat(bridge.mint(BODY).getStatus(), is(200));

            signal("STOP", pid);
            try {
                long started = System.nanoTime();
                ContentResponse hung = bridge.mint(BODY);
                Duration took = Duration.ofNanos(System.nanoTime() - started);

                assertThat("took " + took.toMillis() + " ms", took, lessThan(HUNG_PROMPT));
                SocketApiIT.assertError(hung, 503, "keycloak_unavailable");
                assertThat(hung.getHeaders().get(HttpHeader.RETRY_AFTER), notNullValue());
            } finally {
                signal("CONT", pid);
            }

            assertRecovers(bridge, machine, "Keycloak thawed");
        }
    }

    /** The same bridge, without a restart, mints a valid token again once Keycloak answers. */
    private static void assertRecovers(RunningBridge bridge, Machine machine, String after) throws Exception {
        AtomicReference<ContentResponse> recovered = new AtomicReference<>();
        Await.until(RECOVERY, Duration.ofMillis(250), () -> {
            try {
                recovered.set(bridge.mint(BODY));
                return recovered.get().getStatus() == 200;
            } catch (Exception e) {
                throw new AssertionError("the bridge itself failed: " + e, e);
            }
        }, "a 200 from the same bridge after " + after);
        ContractToken.assertValid(recovered.get().getContentAsString(), machine, "sts.amazonaws.com",
                ContractToken.DEFAULT_LIFETIME);
    }

    private static void signal(String signal, long pid) throws Exception {
        Curl.Result kill = Curl.run(List.of("kill", "-" + signal, Long.toString(pid)));
        assertThat("kill -" + signal + " " + pid + ": " + kill.stderr(), kill.exitCode(), is(0));
    }
}
