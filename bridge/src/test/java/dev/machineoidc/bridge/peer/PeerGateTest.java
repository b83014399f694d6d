package dev.machineoidc.bridge.peer;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.not;

import dev.machineoidc.bridge.api.ErrorBody;
import dev.machineoidc.bridge.api.TokenServlet;
import dev.machineoidc.bridge.config.FileMode;
import dev.machineoidc.bridge.socket.SocketServer;
import dev.machineoidc.bridge.testing.UnixHttpClient;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.GroupPrincipal;
import java.nio.file.attribute.PosixFileAttributes;
import java.nio.file.attribute.UserPrincipal;
import java.nio.file.attribute.UserPrincipalLookupService;
import java.util.Set;
import org.eclipse.jetty.client.ContentResponse;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** The allow-list against the real peer credentials of this test process, through a real socket. */
@Timeout(30)
class PeerGateTest {

    @TempDir
    Path dir;

    private UserPrincipal me;
    private GroupPrincipal myGroup;
    private UserPrincipal someoneElse;
    private GroupPrincipal otherGroup;

    @BeforeEach
    void whoAmI() throws Exception {
        // A file we create is owned by our uid and primary gid: the same ids SO_PEERCRED reports.
        PosixFileAttributes mine = Files.readAttributes(Files.createFile(dir.resolve("probe")), PosixFileAttributes.class);
        me = mine.owner();
        myGroup = mine.group();
        UserPrincipalLookupService lookup = FileSystems.getDefault().getUserPrincipalLookupService();
        someoneElse = lookup.lookupPrincipalByName(me.equals(lookup.lookupPrincipalByName("4242")) ? "4343" : "4242");
        otherGroup = lookup.lookupPrincipalByGroupName(myGroup.equals(lookup.lookupPrincipalByGroupName("4242")) ? "4343" : "4242");
    }

    private ContentResponse call(PeerPolicy policy) throws Exception {
        ErrorBody errorBody = new ErrorBody();
        TokenServlet servlet = new TokenServlet(request -> "a.b.c", new PeerGate(policy), "148e21ea7e46e8", errorBody,
                status -> { });
        SocketServer server = new SocketServer(dir.resolve("api"), FileMode.parseOctal("0666"), servlet, errorBody);
        server.start();
        try (UnixHttpClient client = new UnixHttpClient(server.path())) {
            return client.post("/v1/tokens/oidc", "{}");
        } finally {
            server.stop();
        }
    }

    @Test
    void noListLetsEveryoneIn() throws Exception {
        assertThat(call(PeerPolicy.allowAll()).getStatus(), equalTo(200));
    }

    @Test
    void deniedWhenMyUidIsNotListed() throws Exception {
        ContentResponse response = call(new PeerPolicy(Set.of(someoneElse), Set.of()));

        assertThat(response.getStatus(), equalTo(403));
        assertThat(response.getContentAsString(), containsString("\"error\":\"peer_not_allowed\""));
        assertThat(response.getContentAsString(), not(containsString("a.b.c")));
    }

    @Test
    void allowedByUid() throws Exception {
        assertThat(call(new PeerPolicy(Set.of(someoneElse, me), Set.of())).getStatus(), equalTo(200));
    }

    @Test
    void allowedByGroupAlone() throws Exception {
        assertThat(call(new PeerPolicy(Set.of(someoneElse), Set.of(myGroup))).getStatus(), equalTo(200));
    }

    @Test
    void deniedWhenNeitherUidNorGidIsListed() throws Exception {
        assertThat(call(new PeerPolicy(Set.of(someoneElse), Set.of(otherGroup))).getStatus(), equalTo(403));
    }
}
