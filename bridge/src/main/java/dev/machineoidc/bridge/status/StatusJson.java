package dev.machineoidc.bridge.status;

import com.fasterxml.jackson.core.JsonGenerator;
import dev.machineoidc.bridge.json.JsonWriter;
import dev.machineoidc.bridge.tokenfile.TokenFileState;
import java.io.IOException;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Optional;

/**
 * The body of {@code GET /v1/status}: times as ISO-8601 UTC to the second, absent values as {@code null}. The
 * field names are the contract's; {@code next_attempt_at} and {@code removed_at} are ours.
 */
public final class StatusJson {

    public byte[] render(BridgeStatus.Snapshot status) {
        return JsonWriter.bytes(generator -> {
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
        });
    }

    private static void writeTime(JsonGenerator generator, String field, Optional<Instant> time) throws IOException {
        generator.writeStringField(field, time.map(t -> t.truncatedTo(ChronoUnit.SECONDS).toString()).orElse(null));
    }
}
