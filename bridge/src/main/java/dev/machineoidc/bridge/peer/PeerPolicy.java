package dev.machineoidc.bridge.peer;

import java.nio.file.attribute.GroupPrincipal;
import java.nio.file.attribute.UserPrincipal;
import java.util.Optional;
import java.util.Set;
import jdk.net.UnixDomainPrincipal;

/**
 * The allow-list: with no uids and no gids everyone who can open the socket may call; otherwise a
 * caller must have an allowed uid or an allowed (primary) gid. A caller whose credentials cannot be
 * read is refused whenever a list is set.
 *
 * <p>Principals compare by numeric id, so {@code 0} and {@code root} are the same user.
 */
public record PeerPolicy(Set<UserPrincipal> users, Set<GroupPrincipal> groups) {

    public PeerPolicy {
        users = Set.copyOf(users);
        groups = Set.copyOf(groups);
    }

    public static PeerPolicy allowAll() {
        return new PeerPolicy(Set.of(), Set.of());
    }

    boolean allows(Optional<UnixDomainPrincipal> peer) {
        if (users.isEmpty() && groups.isEmpty()) {
            return true;
        }
        return peer.map(p -> users.contains(p.user()) || groups.contains(p.group())).orElse(false);
    }
}
