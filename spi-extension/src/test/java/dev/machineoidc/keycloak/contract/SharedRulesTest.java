package dev.machineoidc.keycloak.contract;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.machineoidc.keycloak.machine.MachineIds;
import dev.machineoidc.keycloak.machine.Names;
import dev.machineoidc.keycloak.org.Audiences;
import dev.machineoidc.keycloak.token.MintBatch;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Predicate;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.empty;
import static org.hamcrest.Matchers.is;
import static org.hamcrest.Matchers.not;

/**
 * The rules the bridge and this extension must agree on, checked against the table both sides test against
 * (docs/contract/shared-rules.json): a value one side lets through and the other refuses would fail a workload late.
 */
class SharedRulesTest {

    private static final JsonNode TABLE = read(Path.of("../docs/contract/shared-rules.json"));

    private static JsonNode read(Path path) {
        try {
            return new ObjectMapper().readTree(path.toFile());
        } catch (IOException e) {
            throw new IllegalStateException("cannot read the shared rules at " + path.toAbsolutePath(), e);
        }
    }

    @Test
    void theBatchLimitIsTheTables() {
        assertThat(MintBatch.MAX_REQUESTS, is(TABLE.get("batch_limit").intValue()));
    }

    @Test
    void theAudienceRuleIsTheTables() {
        assertAgrees("audience", Audiences::isValid);
    }

    @Test
    void theNameRuleIsTheTables() {
        assertAgrees("name", Names::isValid);
    }

    @Test
    void theMachineIdRuleIsTheTables() {
        assertAgrees("machine_id", MachineIds::isValid);
    }

    private static void assertAgrees(String section, Predicate<String> rule) {
        List<String> valid = values(section, "valid");
        List<String> invalid = values(section, "invalid");
        assertThat(section + " has valid examples", valid, not(empty()));
        assertThat(section + " has invalid examples", invalid, not(empty()));
        assertThat(section + ": valid in the table, refused here", valid.stream().filter(rule.negate()).toList(), is(List.of()));
        assertThat(section + ": invalid in the table, accepted here", invalid.stream().filter(rule).toList(), is(List.of()));
    }

    private static List<String> values(String section, String kind) {
        List<String> values = new ArrayList<>();
        TABLE.get(section).get(kind).forEach(value -> values.add(value.textValue()));
        return values;
    }
}
