package dev.machineoidc.keycloak.it;

import com.fasterxml.jackson.databind.JsonNode;
import dev.machineoidc.arquillian.JsonResponse;
import dev.machineoidc.keycloak.it.fuzz.AdminRequest;
import dev.machineoidc.keycloak.it.fuzz.MalformedAdminRequests;
import dev.machineoidc.keycloak.it.support.ArquillianLifecycle;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.lifecycle.AddLifecycleHook;
import net.jqwik.api.lifecycle.AfterProperty;
import net.jqwik.api.lifecycle.BeforeProperty;
import net.jqwik.api.statistics.Statistics;

import java.io.IOException;
import java.net.http.HttpClient;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Map;
import java.util.UUID;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.anyOf;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.is;
import static org.hamcrest.Matchers.lessThan;
import static org.hamcrest.Matchers.not;
import static org.hamcrest.Matchers.startsWith;

/**
 * Issue 11: generated malformed requests ({@link MalformedAdminRequests}, 10,000 in all) against the running server,
 * as the master admin. Each answer comes within {@link #ANSWER_DEADLINE}, is no 5xx, and every error is the API's JSON
 * {@code {"error","message"}} without a stack trace. After each property the server still serves, and holds exactly
 * the realms, apps, machines and clients it held before: no request left anything half-created.
 * <p>
 * jqwik runs no Jupiter extensions: {@link ArquillianLifecycle} deploys and enriches as Arquillian's extension does,
 * in the suite the Jupiter container tests share, so this runs against their server.
 */
@AddLifecycleHook(ArquillianLifecycle.class)
class AdminApiFuzzIT extends ProviderDeployment {

    private static final Duration ANSWER_DEADLINE = Duration.ofSeconds(10);
    /**
     * Answers Keycloak gives before any code of ours runs, in its own error shape ({@code error} without
     * {@code message}), as for its own admin API: a path that is not normalized (an empty segment), and the JAX-RS
     * runtime's 404, 405 and 415 when no resource method matches the path, the method or the content type.
     */
    private static final Map<String, Integer> KEYCLOAK_REFUSALS = Map.of(
            "missingNormalization", 400, "HTTP 404 Not Found", 404, "HTTP 405 Method Not Allowed", 405,
            "The content-type header value did not match the value in @Consumes", 415);

    private final HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(5)).build();
    private String org;
    private String machineId;
    private Holdings before;

    @Property(tries = 2_000)
    void orgRequests(@ForAll("orgs") AdminRequest request) throws Exception {
        answersWithinBoundsAndShape(request);
    }

    @Property(tries = 1_500)
    void settingsRequests(@ForAll("settings") AdminRequest request) throws Exception {
        answersWithinBoundsAndShape(request);
    }

    @Property(tries = 2_000)
    void appRequests(@ForAll("apps") AdminRequest request) throws Exception {
        answersWithinBoundsAndShape(request);
    }

    @Property(tries = 2_500)
    void machineRequests(@ForAll("machines") AdminRequest request) throws Exception {
        answersWithinBoundsAndShape(request);
    }

    @Property(tries = 1_000)
    void enrollmentRequests(@ForAll("enrollments") AdminRequest request) throws Exception {
        answersWithinBoundsAndShape(request);
    }

    @Property(tries = 500)
    void keyRequests(@ForAll("keys") AdminRequest request) throws Exception {
        answersWithinBoundsAndShape(request);
    }

    @Property(tries = 1_000)
    void unknownPaths(@ForAll("unknownPaths") AdminRequest request) throws Exception {
        answersWithinBoundsAndShape(request);
    }

    @Provide
    Arbitrary<AdminRequest> orgs() {
        return MalformedAdminRequests.orgs();
    }

    @Provide
    Arbitrary<AdminRequest> settings() {
        return MalformedAdminRequests.settings();
    }

    @Provide
    Arbitrary<AdminRequest> apps() {
        return MalformedAdminRequests.apps();
    }

    @Provide
    Arbitrary<AdminRequest> machines() {
        return MalformedAdminRequests.machines();
    }

    @Provide
    Arbitrary<AdminRequest> enrollments() {
        return MalformedAdminRequests.enrollments();
    }

    @Provide
    Arbitrary<AdminRequest> keys() {
        return MalformedAdminRequests.keys();
    }

    @Provide
    Arbitrary<AdminRequest> unknownPaths() {
        return MalformedAdminRequests.unknownPaths();
    }

    /** Runs after {@link ContainerTestBase#connect()}: an org with the app and machine the generators name. */
    @BeforeProperty
    void fixture() {
        org = "fuzz-" + UUID.randomUUID().toString().substring(0, 8);
        machineId = keycloak.provision(admin, org, MalformedAdminRequests.APP, MalformedAdminRequests.MACHINE_NAME).machineId();
        before = holdings();
    }

    @AfterProperty
    void stillServesAndNothingWasLeftBehind() throws Exception {
        admin = server.adminAccessToken();
        JsonResponse machine = http.get(keycloak.admin(org, "/machine-oidc/apps/" + MalformedAdminRequests.APP + "/machines/" + machineId), admin);
        assertThat(machine.body(), machine.status(), is(200));
        assertThat(holdings(), is(before));
    }

    private void answersWithinBoundsAndShape(AdminRequest request) throws IOException, InterruptedException {
        HttpResponse<String> answer = client.send(
                request.build(keycloak.baseUrl(), org, machineId, server.adminAccessToken(), ANSWER_DEADLINE),
                HttpResponse.BodyHandlers.ofString());
        String seen = request + "\n  answered " + answer.statusCode() + " " + answer.headers().firstValue("Content-Type").orElse("-")
                + " " + answer.body();
        assertThat(seen, answer.statusCode(), lessThan(500));
        if (answer.statusCode() < 400) {
            Statistics.collect(answer.statusCode(), "-");
            return;
        }
        assertThat(seen, answer.headers().firstValue("Content-Type").orElse(""), startsWith("application/json"));
        JsonNode error = new JsonResponse(answer.statusCode(), answer.body(), answer.headers()).json();
        assertThat(seen, answer.body(), not(anyOf(containsString("Exception"), containsString(".java:"), containsString("\tat "))));
        assertThat(seen, error.path("error").isTextual() && !error.path("error").asText().isEmpty(), is(true));
        String code = error.get("error").asText();
        if (KEYCLOAK_REFUSALS.containsKey(code)) {
            assertThat(seen, answer.statusCode(), is(KEYCLOAK_REFUSALS.get(code)));
        } else {
            assertThat(seen, error.path("message").isTextual() && !error.path("message").asText().isEmpty(), is(true));
        }
        Statistics.collect(answer.statusCode(), code);
    }

    /** What the generated requests must not change: every count a half-created org, app or machine would raise. */
    private Holdings holdings() {
        return new Holdings(
                count(keycloak.baseUrl() + "/admin/realms?briefRepresentation=true"),
                count(keycloak.admin("master", "/clients?max=100000")),
                count(keycloak.admin(org, "/clients?max=100000")),
                count(keycloak.admin(org, "/machine-oidc/apps")),
                count(keycloak.admin(org, "/machine-oidc/apps/" + MalformedAdminRequests.APP + "/machines")));
    }

    private int count(String url) {
        JsonResponse list = http.get(url, admin);
        assertThat(url + ": " + list.body(), list.status(), is(200));
        return list.json().size();
    }

    private record Holdings(int realms, int masterClients, int orgClients, int apps, int machines) {
    }
}
