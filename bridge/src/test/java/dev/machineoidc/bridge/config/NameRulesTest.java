package dev.machineoidc.bridge.config;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.is;

import dev.machineoidc.bridge.testing.SharedRules;
import java.util.Map;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** The org name and machine id patterns against the table the extension's names are tested against too. */
class NameRulesTest {

    /** The table's section for each pattern. */
    private static final Map<String, Pattern> RULES = Map.of("name", BridgeConfig.ORG, "machine_id", BridgeConfig.MACHINE_ID);

    @ParameterizedTest(name = "{0} \"{1}\" valid: {2}")
    @MethodSource("examples")
    void eachPatternDecidesAsTheSharedTable(String rule, String example, boolean valid) {
        assertThat(RULES.get(rule).matcher(example).matches(), is(valid));
    }

    static Stream<Arguments> examples() {
        return RULES.keySet().stream().flatMap(rule -> Stream.concat(
                SharedRules.valid(rule).stream().map(example -> Arguments.of(rule, example, true)),
                SharedRules.invalid(rule).stream().map(example -> Arguments.of(rule, example, false))));
    }
}
