package dev.machineoidc.bridge.testing;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * docs/contract/shared-rules.json: the rules the bridge and the Keycloak extension must agree on (a test on the
 * extension's side reads the same table). Read relative to the module directory, where the tests run.
 */
public final class SharedRules {

    private static final Path TABLE = Path.of("..", "docs", "contract", "shared-rules.json");

    private SharedRules() {
    }

    public static int batchLimit() {
        JsonNode limit = table().path("batch_limit");
        if (!limit.isInt()) {
            throw new AssertionError(TABLE + " has no integer batch_limit");
        }
        return limit.intValue();
    }

    /** The strings a rule ({@code audience}, {@code name}, {@code machine_id}) accepts. */
    public static List<String> valid(String rule) {
        return strings(rule, "valid");
    }

    /** The strings a rule refuses. */
    public static List<String> invalid(String rule) {
        return strings(rule, "invalid");
    }

    private static List<String> strings(String rule, String kind) {
        JsonNode list = table().path(rule).path(kind);
        if (!list.isArray() || list.isEmpty()) {
            throw new AssertionError(TABLE + " has no " + rule + "." + kind + " examples");
        }
        List<String> strings = new ArrayList<>(list.size());
        list.forEach(example -> strings.add(example.textValue()));
        return strings;
    }

    private static JsonNode table() {
        try {
            return new ObjectMapper().readTree(TABLE.toFile());
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + TABLE.toAbsolutePath(), e);
        }
    }
}
