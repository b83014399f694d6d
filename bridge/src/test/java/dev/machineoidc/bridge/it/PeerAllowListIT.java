package dev.machineoidc.bridge.it;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.is;
import static org.hamcrest.Matchers.matchesPattern;
import static org.hamcrest.Matchers.not;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.machineoidc.bridge.config.FileMode;
import dev.machineoidc.bridge.testing.Await;
import dev.machineoidc.bridge.testing.LogCapture;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.GroupPrincipal;
import java.nio.file.attribute.PosixFilePermissions;
import java.nio.file.attribute.UserPrincipal;
import java.nio.file.attribute.UserPrincipalLookupService;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The peer-credential allow-list on a real socket: callers are told apart by the uid/gid the kernel records at
 * connect time ({@code SO_PEERCRED}). The other caller is a real process run as {@code nobody} through
 * {@code setpriv}, so the test JVM must run as root (as it does in CI).
 */
@Timeout(120)
class PeerAllowListIT extends WithKeycloak {

    private static final int NOBODY = 65534;
    private static final int NOGROUP = 65534;
    private static final int DAEMON_GROUP = 1;
    private static final String BODY = "{\"aud\":\"sts.amazonaws.com\"}";
    private static final ObjectMapper JSON = new ObjectMapper();

    private static Machine machine;
    private static Path workDir;

    private final UserPrincipalLookupService principals = FileSystems.getDefault().getUserPrincipalLookupService();

    @BeforeEach
    void rootAndAnEnrolledMachine() throws Exception {
        int uid = (Integer) Files.getAttribute(Path.of("/proc/self"), "unix:uid");
        assumeTrue(uid == 0, "running a caller as another uid (setpriv) needs root; the test JVM runs as uid " + uid);
        if (machine == null) {
            machine = new Provisioner(server).newOrgWithMachine("bridge-peer");
            workDir = RunningBridge.newWorkDir(machine);
        }
    }

    /** Every bridge of this class shares one state dir: the first enrolls, the others reuse its identity. */
    private RunningBridge start(String mode, Set<UserPrincipal> users, Set<GroupPrincipal> groups) throws Exception {
        return RunningBridge.start(server.baseUrl(), machine, workDir, workDir.resolve("state"), options -> options
                .socketMode(FileMode.parseOctal(mode))
                .allowedUsers(users)
                .allowedGroups(groups));
    }

    @Test
    void onlyRootIsAllowedSoNobodyGets403WhileRootGetsAToken() throws Exception {
        try (LogCapture log = LogCapture.start();
             RunningBridge bridge = start("0666", Set.of(principals.lookupPrincipalByName("0")), Set.of())) {
            assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(bridge.socket(), LinkOption.NOFOLLOW_LINKS)),
                    is("rw-rw-rw-"));

            Curl.Result nobody = Curl.postWithStatus(bridge.socket(), BODY, Curl.asUser(NOBODY, NOGROUP));
            Curl.Result root = Curl.postWithStatus(bridge.socket(), BODY, List.of());

            assertThat("nobody could connect: the refusal is the allow-list's, not the file mode's. " + nobody.stderr(),
                    nobody.exitCode(), is(0));
            assertThat(nobody.body(), nobody.status(), is(403));
            JsonNode error = JSON.readTree(nobody.body());
            assertThat(error.path("error").asText(), is("peer_not_allowed"));
            assertThat(nobody.body(), not(containsString("eyJ")));
            assertThat(root.stderr(), root.exitCode(), is(0));
            assertThat(root.body(), root.status(), is(200));
            ContractToken.assertValid(root.body(), machine, "sts.amazonaws.com", ContractToken.DEFAULT_LIFETIME);
            // The access line is written once the answer is out, so it may trail the answer a little.
            Await.until(Duration.ofSeconds(5), () -> log.accessLines().size() >= 2, "two access log lines");
            assertThat(log.accessLines(), hasItem(matchesPattern(
                    ".*machine=" + machine.id() + " peer=nobody:nogroup .*status=403 error=peer_not_allowed.*")));
            assertThat(log.accessLines(), hasItem(matchesPattern(
                    ".*machine=" + machine.id() + " peer=root:root .*status=200 .*")));
        }
    }

    @Test
    void anAllowedPrimaryGroupLetsAnotherUserIn() throws Exception {
        try (RunningBridge bridge = start("0666", Set.of(principals.lookupPrincipalByName("0")),
                Set.of(principals.lookupPrincipalByGroupName(Integer.toString(NOGROUP))))) {

            Curl.Result nobody = Curl.postWithStatus(bridge.socket(), BODY, Curl.asUser(NOBODY, NOGROUP));
            Curl.Result otherGroup = Curl.postWithStatus(bridge.socket(), BODY, Curl.asUser(NOBODY, DAEMON_GROUP));

            assertThat(nobody.stderr(), nobody.exitCode(), is(0));
            assertThat(nobody.body(), nobody.status(), is(200));
            ContractToken.assertValid(nobody.body(), machine, "sts.amazonaws.com", ContractToken.DEFAULT_LIFETIME);
            assertThat(otherGroup.body(), otherGroup.status(), is(403));
        }
    }

    @Test
    void withTheDefaultMode0660AnotherUserCannotEvenConnect() throws Exception {
        try (RunningBridge bridge = start("0660", Set.of(), Set.of())) {
            assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(bridge.socket(), LinkOption.NOFOLLOW_LINKS)),
                    is("rw-rw----"));

            Curl.Result nobody = Curl.postWithStatus(bridge.socket(), BODY, Curl.asUser(NOBODY, NOGROUP));

            assertThat("curl exit 7: could not connect. " + nobody.stderr(), nobody.exitCode(), is(7));
            assertThat(nobody.stdout(), not(containsString("eyJ")));
            assertThat(Curl.postWithStatus(bridge.socket(), BODY, List.of()).status(), is(200));
        }
    }
}
