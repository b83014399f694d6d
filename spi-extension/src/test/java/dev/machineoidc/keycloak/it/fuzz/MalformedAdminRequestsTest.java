package dev.machineoidc.keycloak.it.fuzz;

import dev.machineoidc.keycloak.api.JsonBody;
import dev.machineoidc.keycloak.machine.Names;
import dev.machineoidc.keycloak.refusal.Refusal;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Optional;
import java.util.Set;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.anyOf;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.is;
import static org.hamcrest.Matchers.not;
import static org.hamcrest.Matchers.startsWith;

/** What AdminApiFuzzIT relies on: its requests cannot create anything, delete the fixture's machine, or leave its org. */
class MalformedAdminRequestsTest {

    @Property(tries = 3_000)
    void aCreateNeverNamesSomethingNew(@ForAll("all") AdminRequest request) {
        Set<String> existing = switch (created(request)) {
            case "org" -> Set.of(AdminRequest.ORG, "master");
            case "app" -> Set.of(MalformedAdminRequests.APP);
            case "machine" -> Set.of(MalformedAdminRequests.MACHINE_NAME);
            default -> null;
        };
        Optional<String> name = name(request);
        if (existing != null && name.isPresent()) {
            assertThat(request.toString(), Names.isValid(name.get()) && !existing.contains(name.get()), is(false));
        }
    }

    @Property(tries = 3_000)
    void staysInTheFixtureAndSparesItsMachine(@ForAll("all") AdminRequest request) {
        assertThat(request.path(), anyOf(startsWith(AdminRequest.ORG + "/machine-oidc/"), startsWith("master/machine-oidc/")));
        if (request.method().equals("DELETE")) {
            assertThat(request.path(), not(containsString(AdminRequest.MACHINE)));
        }
        boolean dotSegment = Arrays.stream(request.path().split("/", -1))
                .map(segment -> URLDecoder.decode(segment.replace("+", "%2B"), StandardCharsets.UTF_8))
                .anyMatch(segment -> segment.equals(".") || segment.equals(".."));
        assertThat(request.path(), dotSegment, is(false));
    }

    @Provide
    Arbitrary<AdminRequest> all() {
        return Arbitraries.oneOf(MalformedAdminRequests.orgs(), MalformedAdminRequests.settings(),
                MalformedAdminRequests.apps(), MalformedAdminRequests.machines(), MalformedAdminRequests.enrollments(),
                MalformedAdminRequests.unknownPaths());
    }

    /** What a POST to this path would create, if its body were good. */
    private static String created(AdminRequest request) {
        if (!request.method().equals("POST")) {
            return "";
        }
        if (request.path().equals("master/machine-oidc/orgs")) {
            return "org";
        }
        if (request.path().equals(AdminRequest.ORG + "/machine-oidc/apps")) {
            return "app";
        }
        return request.path().matches("\\{org}/machine-oidc/apps/[^/]+/machines") ? "machine" : "";
    }

    /** The name the server would read from the body: decoded and parsed as the admin resources do. */
    private static Optional<String> name(AdminRequest request) {
        try {
            String body = request.body() == null ? null : new String(request.body(), StandardCharsets.UTF_8);
            return JsonBody.parse(body).optionalString("name");
        } catch (Refusal refused) {
            return Optional.empty();
        }
    }
}
