package dev.machineoidc.bridge.testing;

import java.io.IOException;
import java.nio.file.FileSystems;
import java.nio.file.attribute.GroupPrincipal;
import java.nio.file.attribute.UserPrincipalLookupService;

/** A group the test process may give its files to, other than its own where it can: then a chown really shows. */
public final class Groups {

    private Groups() {
    }

    /** {@code daemon} (gid 1 on Debian) when running as root, which may give files to any group; else the primary group. */
    public static GroupPrincipal giveable() throws IOException {
        UserPrincipalLookupService lookup = FileSystems.getDefault().getUserPrincipalLookupService();
        boolean root = "root".equals(System.getProperty("user.name"));
        return lookup.lookupPrincipalByGroupName(root ? "daemon" : primaryGid());
    }

    private static String primaryGid() throws IOException {
        Process id = new ProcessBuilder("id", "-g").redirectErrorStream(true).start();
        String gid = new String(id.getInputStream().readAllBytes()).strip();
        try {
            if (id.waitFor() != 0) {
                throw new IOException("id -g failed: " + gid);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted", e);
        }
        return gid;
    }
}
