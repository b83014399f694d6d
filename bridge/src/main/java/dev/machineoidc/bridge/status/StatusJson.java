package dev.machineoidc.bridge.status;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import dev.machineoidc.bridge.tokenfile.TokenFileState;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Optional;

/**
 * The body of {@code GET /v1/status}: times as ISO-8601 UTC to the second, absent values as {@code null}. The
 * field names are the contract's; {@code next_attempt_at} and {@code removed_at} are ours.
 */
public final class StatusJson {

    private final JsonFactory json = new JsonFactory();

    public byte[] render(BridgeStatus.Snapshot status) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(512);
        try (JsonGenerator generator = json.createGenerator(out)) {
            generator.writeStartObject();
            generator.writeStringField("machine_id", status.machineId());
            generator.writeStringField("org", status.org());
            generator.writeStringField("keycloak_url", status.keycloakUrl().toString());
            writeTime(generator, "session_expires_at", status.assertionExpiresAt());
            generator.writeArrayFieldStart("token_files");
            for (TokenFileState.Snapshot file : status.tokenFiles()) {
                generator.writeStartObject();
                generator.writeStringField("path", file.path().toString());
                generator.writeStringField("aud", file.audience());
                writeTime(generator, "written_at", file.writtenAt());
                writeTime(generator, "next_refresh_at", Optional.of(file.refreshDueAt()));
                writeTime(generator, "next_attempt_at", Optional.of(file.nextAttemptAt()));
                generator.writeStringField("last_error", file.lastError().orElse(null));
                writeTime(generator, "removed_at", file.removedAt());
                generator.writeEndObject();
            }
            generator.writeEndArray();
            generator.writeEndObject();
        } catch (IOException e) {
            throw new UncheckedIOException("writing to memory failed", e);
        }
        return out.toByteArray();
    }

    private static void writeTime(JsonGenerator generator, String field, Optional<Instant> time) throws IOException {
        generator.writeStringField(field, time.map(t -> t.truncatedTo(ChronoUnit.SECONDS).toString()).orElse(null));
    }
}
