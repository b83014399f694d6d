package dev.machineoidc.keycloak.machine;

import java.security.SecureRandom;
import java.util.HexFormat;
import java.util.regex.Pattern;

/** Machine ids: 14 lowercase hex characters, like Fly's. */
public final class MachineIds {

    private static final Pattern MACHINE_ID = Pattern.compile("[0-9a-f]{14}");
    private static final SecureRandom RANDOM = new SecureRandom();

    private MachineIds() {
    }

    public static String generate() {
        byte[] bytes = new byte[7];
        RANDOM.nextBytes(bytes);
        return HexFormat.of().formatHex(bytes);
    }

    public static boolean isValid(String id) {
        return id != null && MACHINE_ID.matcher(id).matches();
    }
}
