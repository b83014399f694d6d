package dev.machineoidc.bridge.identity;

import com.nimbusds.jose.jwk.ECKey;
import dev.machineoidc.bridge.files.PrivateFiles;
import dev.machineoidc.bridge.json.JsonScalars;
import dev.machineoidc.bridge.json.JsonWriter;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.text.ParseException;
import java.util.Map;
import java.util.Optional;

/**
 * The bridge's state directory: {@value #KEY_FILE} holds the private JWK, {@value #ENROLLMENT_FILE} what
 * Keycloak answered. Both are written 0600 and replaced atomically.
 */
public final class StateDir {

    public static final String KEY_FILE = "machine-key.json";
    public static final String ENROLLMENT_FILE = "enrollment.json";

    private final Path dir;

    public StateDir(Path dir) {
        this.dir = dir;
    }

    public Path keyFile() {
        return dir.resolve(KEY_FILE);
    }

    public Path enrollmentFile() {
        return dir.resolve(ENROLLMENT_FILE);
    }

    /** @return empty when the machine was never enrolled here */
    public Optional<StoredEnrollment> load() throws EnrollmentException {
        boolean hasKey = Files.exists(keyFile());
        boolean hasEnrollment = Files.exists(enrollmentFile());
        if (!hasKey && !hasEnrollment) {
            return Optional.empty();
        }
        if (!hasKey || !hasEnrollment) {
            throw new EnrollmentException("incomplete state in " + dir + ": enroll again with a new enrollment token");
        }
        try {
            ECKey key = ECKey.parse(Files.readString(keyFile(), StandardCharsets.UTF_8));
            Map<String, Object> json = JsonScalars.parse(Files.readString(enrollmentFile(), StandardCharsets.UTF_8));
            if (!key.isPrivate() || !key.getKeyID().equals(JsonScalars.string(json, "kid"))) {
                throw new EnrollmentException(keyFile() + " does not hold the enrolled private key: enroll again with a new enrollment token");
            }
            // Older versions also stored Keycloak's endpoints (token_endpoint, mint_endpoint): they are not needed.
            Registration registration = new Registration(required(json, "client_id"));
            return Optional.of(new StoredEnrollment(
                    required(json, "machine_id"),
                    new MachineIdentity(key, registration),
                    required(json, "enrollment_token_sha256")));
        } catch (IOException | ParseException | IllegalArgumentException e) {
            // Never pass on the parser's message: it could quote the key file.
            throw new EnrollmentException("unreadable state in " + dir + " (" + e.getClass().getSimpleName() + ")");
        }
    }

    /** Creates the directory (0700) if missing and fails unless this process can write in it. */
    public void requireWritable() throws IOException {
        PrivateFiles.createPrivateDirectories(dir);
        if (!Files.isWritable(dir)) {
            throw new AccessDeniedException(dir.toString(), null, "not writable");
        }
    }

    /** Writes the key first: a crash in between leaves a kid mismatch that {@link #load()} reports. */
    public void save(StoredEnrollment enrollment) throws IOException {
        requireWritable();
        MachineIdentity identity = enrollment.identity();
        PrivateFiles.writeAtomically(keyFile(), identity.key().toJSONString().getBytes(StandardCharsets.UTF_8));

        PrivateFiles.writeAtomically(enrollmentFile(), JsonWriter.bytes(json -> {
            json.writeStartObject();
            json.writeStringField("machine_id", enrollment.machineId());
            json.writeStringField("client_id", identity.registration().clientId());
            json.writeStringField("kid", identity.key().getKeyID());
            json.writeStringField("enrollment_token_sha256", enrollment.enrollmentTokenSha256());
            json.writeEndObject();
        }));
    }

    private static String required(Map<String, Object> json, String name) throws ParseException {
        String value = JsonScalars.string(json, name);
        if (value == null || value.isEmpty()) {
            throw new ParseException("missing " + name, 0);
        }
        return value;
    }
}
