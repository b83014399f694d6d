package dev.machineoidc.bridge.peer;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.is;

import java.nio.file.FileSystems;
import java.nio.file.attribute.UserPrincipal;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;

class PeerPolicyTest {

    @Test
    void unknownPeerIsAllowedOnlyWithoutAList() throws Exception {
        UserPrincipal root = FileSystems.getDefault().getUserPrincipalLookupService().lookupPrincipalByName("0");

        assertThat(PeerPolicy.allowAll().allows(Optional.empty()), is(true));
        assertThat(new PeerPolicy(Set.of(root), Set.of()).allows(Optional.empty()), is(false));
    }
}
