package dev.machineoidc.bridge.files;

import java.io.IOException;
import java.nio.file.FileSystems;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Optional;

/** The bridge's start check for a file of group 0, in a process of its own: a test running as root runs it as nobody. */
final class GroupCheckMain {

    static final int REFUSED = 3;

    private GroupCheckMain() {
    }

    public static void main(String[] args) throws IOException {
        FileAccess access = new FileAccess(PosixFilePermissions.fromString("rw-r-----"), Optional.of(
                FileSystems.getDefault().getUserPrincipalLookupService().lookupPrincipalByGroupName("0")));
        try {
            AtomicFiles.checkWritable(Path.of(args[0]), access);
            System.out.print("accepted");
        } catch (IOException e) {
            System.out.print(e.getMessage());
            System.exit(REFUSED);
        }
    }
}
