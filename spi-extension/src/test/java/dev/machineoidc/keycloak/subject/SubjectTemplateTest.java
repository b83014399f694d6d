package dev.machineoidc.keycloak.subject;

import dev.machineoidc.keycloak.machine.Machine;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.NullAndEmptySource;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.is;
import static org.hamcrest.Matchers.not;
import static org.hamcrest.Matchers.startsWith;
import static org.junit.jupiter.api.Assertions.assertThrows;

class SubjectTemplateTest {

    private static final String ORG_ID = "9b7c2f4e-0000-4000-8000-000000000001";
    private static final String ORG = "example-org";
    private static final Machine MACHINE = new Machine("0123456789abcd", "example-machine", "app-uuid-1", "example-app",
            "sea", "registry.example.com/app:1", "sha256:" + "ab".repeat(32), "01ARZ3NDEKTSV4RRFFQ69G5FAV", true, true, null);

    private static String render(String template, Machine machine) {
        return SubjectTemplate.parse(template).render(ORG_ID, ORG, machine);
    }

    private static String refusal(String template) {
        return assertThrows(IllegalArgumentException.class, () -> SubjectTemplate.parse(template)).getMessage();
    }

    @Test
    void theDefaultIsTodaysSubByteForByte() {
        assertThat(SubjectTemplate.DEFAULT.source(), is("{org}:{app}:{machine}"));
        assertThat(SubjectTemplate.DEFAULT.render(ORG_ID, ORG, MACHINE),
                is(ORG + ":" + MACHINE.appName() + ":" + MACHINE.name()));
        assertThat(SubjectTemplate.stored(null), is(SubjectTemplate.DEFAULT));
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "{org}:{machine}            | example-org:example-machine",
            "{app}                      | example-app",
            "{machine}                  | example-machine",
            "{org_id}:{app}             | 9b7c2f4e-0000-4000-8000-000000000001:example-app",
            "{app_id}                   | app-uuid-1",
            "{machine_id}               | 0123456789abcd",
            "{region}:{machine}         | sea:example-machine",
            "{org_id}:{app_id}:{machine_id} | 9b7c2f4e-0000-4000-8000-000000000001:app-uuid-1:0123456789abcd",
            "{org}:{app}                | example-org:example-app",
            "fly:{org}/{app}.{machine}@{region} | fly:example-org/example-app.example-machine@sea",
            "m-{machine_id}-{machine_id} | m-0123456789abcd-0123456789abcd",
            "repo:{org}/{app}:ref:{region} | repo:example-org/example-app:ref:sea"})
    void everyPlaceholderAndLiteralText(String template, String sub) {
        assertThat(render(template, MACHINE), is(sub));
    }

    @Test
    void aTemplateIsItsSourceForEquality() {
        assertThat(SubjectTemplate.parse("{org}:{app}"), is(SubjectTemplate.parse("{org}:{app}")));
        assertThat(SubjectTemplate.parse("{org}:{app}"), not(SubjectTemplate.DEFAULT));
        assertThat(SubjectTemplate.parse("{app}").problem().isPresent(), is(false));
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "{org}                | the subject template must name the app or the machine with one of {app}, {machine}, {app_id}, {machine_id}",
            "{org_id}:{region}    | the subject template must name the app or the machine with one of {app}, {machine}, {app_id}, {machine_id}",
            "fixed                | the subject template must name the app or the machine with one of {app}, {machine}, {app_id}, {machine_id}",
            ":{app}               | the subject template has an empty segment at character 1: segments are separated by ':', so it may not start or end with ':' nor hold '::'",
            "{app}:               | the subject template has an empty segment at character 6: segments are separated by ':', so it may not start or end with ':' nor hold '::'",
            "{org}::{app}         | the subject template has an empty segment at character 7: segments are separated by ':', so it may not start or end with ':' nor hold '::'",
            ":                    | the subject template has an empty segment at character 1: segments are separated by ':', so it may not start or end with ':' nor hold '::'",
            "{org}:{application}  | the subject template has an unknown placeholder {application}; known are {org}, {app}, {machine}, {org_id}, {app_id}, {machine_id}, {region}",
            "{}:{app}             | the subject template has an unknown placeholder {}; known are {org}, {app}, {machine}, {org_id}, {app_id}, {machine_id}, {region}",
            "{ORG}:{app}          | the subject template has an unknown placeholder {ORG}; known are {org}, {app}, {machine}, {org_id}, {app_id}, {machine_id}, {region}",
            "{org:{app}           | the subject template has unbalanced braces: the '{' at character 1 is not closed",
            "{{app}}              | the subject template has unbalanced braces: the '{' at character 1 is not closed",
            "{app}:{machine       | the subject template has unbalanced braces: the '{' at character 7 is not closed",
            "{app}}               | the subject template has unbalanced braces: the '}' at character 6 closes no '{'",
            "org}:{app}           | the subject template has unbalanced braces: the '}' at character 4 closes no '{'"})
    void invalidTemplatesSayWhatIsWrong(String template, String message) {
        assertThat(refusal(template), is(message));
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "'{org}: {app}'       | U+0020 at character 7",
            "'{org}:\t{app}'      | U+0009 at character 7",
            "'{org}:{app}\u00e9'  | U+00E9 at character 12",
            "'{org}:{app}\u007f'  | U+007F at character 12",
            "'{ap\np}'            | U+000A at character 4"})
    void onlyPrintableAsciiWithoutSpaces(String template, String where) {
        assertThat(refusal(template), is("the subject template may hold only printable ASCII characters without spaces, not " + where));
    }

    @Test
    void emptyAndMissingTemplatesAreRefused() {
        assertThat(refusal(""), is("the subject template is required"));
        assertThat(refusal(null), is("the subject template is required"));
    }

    @Test
    void theLengthIsCapped() {
        String longest = "{app}" + "x".repeat(SubjectTemplate.MAX_LENGTH - 5);
        assertThat(render(longest, MACHINE), is("example-app" + "x".repeat(SubjectTemplate.MAX_LENGTH - 5)));
        assertThat(refusal(longest + "x"), is("the subject template must be at most 256 characters, not 257"));
    }

    /**
     * Whatever an admin sends costs one pass over at most {@link SubjectTemplate#MAX_LENGTH} characters: longer input
     * is refused before it is read, and runs that would make a backtracking parser stumble are refused with a reason.
     */
    @Test
    void pathologicalInputIsRefusedWithItsReason() {
        assertThat(refusal("x".repeat(1_000_000)), is("the subject template must be at most 256 characters, not 1000000"));
        assertThat(refusal("{".repeat(SubjectTemplate.MAX_LENGTH)),
                is("the subject template has unbalanced braces: the '{' at character 1 is not closed"));
        assertThat(refusal(":".repeat(SubjectTemplate.MAX_LENGTH)), startsWith("the subject template has an empty segment at character 1"));
        assertThat(refusal("{app" + "}".repeat(SubjectTemplate.MAX_LENGTH - 4)),
                is("the subject template has unbalanced braces: the '}' at character 6 closes no '{'"));
    }

    /**
     * {region} of a machine stored without one (by hand or an import: the admin API always sets one) would give an
     * empty segment, or one subject for several machines: the mint is refused and says why.
     */
    @ParameterizedTest
    @NullAndEmptySource
    void aValueTheMachineLacksRefusesTheSubject(String region) {
        Machine regionless = new Machine(MACHINE.id(), MACHINE.name(), MACHINE.appId(), MACHINE.appName(),
                region, MACHINE.image(), MACHINE.imageDigest(), MACHINE.version(), true, true, null);

        SubjectTemplate.Unavailable refused = assertThrows(SubjectTemplate.Unavailable.class,
                () -> render("{org}:{region}:{machine}", regionless));

        assertThat(refused.getMessage(), is("The org's subject template '{org}:{region}:{machine}' needs {region}, which "
                + "machine 0123456789abcd does not have."));
        assertThat("a template without {region} does not need it", render("{org}:{app}:{machine}", regionless),
                is("example-org:example-app:example-machine"));
    }

    /** A template stored invalid (edited by hand or imported) is kept as it is and refuses every subject. */
    @Test
    void anInvalidStoredTemplateFailsClosed() {
        SubjectTemplate broken = SubjectTemplate.stored("{org}");

        assertThat(broken.source(), is("{org}"));
        assertThat(broken.problem().orElseThrow(),
                is("the subject template must name the app or the machine with one of {app}, {machine}, {app_id}, {machine_id}"));
        SubjectTemplate.Unavailable refused = assertThrows(SubjectTemplate.Unavailable.class,
                () -> broken.render(ORG_ID, ORG, MACHINE));
        assertThat(refused.getMessage(), is("The org's subject template '{org}' is invalid: the subject template must name "
                + "the app or the machine with one of {app}, {machine}, {app_id}, {machine_id}. An admin must correct it in "
                + "the org's settings."));
        assertThat(SubjectTemplate.stored("{app}:{machine}"), is(SubjectTemplate.parse("{app}:{machine}")));
    }
}
