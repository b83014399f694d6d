package dev.machineoidc.keycloak.admin;

import dev.machineoidc.keycloak.refusal.Refusal;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.is;
import static org.junit.jupiter.api.Assertions.assertThrows;

class MachineListQueryTest {

    @Test
    void absentValuesMeanTheFirstHundredOfAllNames() {
        assertThat(MachineListQuery.parse(null, "", null), is(new MachineListQuery(0, 100, null)));
        assertThat(MachineListQuery.parse("", null, ""), is(new MachineListQuery(0, 100, null)));
    }

    @Test
    void valuesWithinTheirRangesAreKept() {
        assertThat(MachineListQuery.parse("1000000", "1000", "web-1"), is(new MachineListQuery(1_000_000, 1000, "web-1")));
        assertThat(MachineListQuery.parse("0", "1", "a"), is(new MachineListQuery(0, 1, "a")));
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "-1 |     |      | first must be a whole number from 0 to 1000000.",
            "1e3|     |      | first must be a whole number from 0 to 1000000.",
            "1000001| |      | first must be a whole number from 0 to 1000000.",
            "99999999999||   | first must be a whole number from 0 to 1000000.",
            "   | 0   |      | max must be a whole number from 1 to 1000.",
            "   | 1001|      | max must be a whole number from 1 to 1000.",
            "   | +5  |      | max must be a whole number from 1 to 1000.",
            "   |     | Web  | search is the start of a machine name",
            "   |     | -web | search is the start of a machine name",
            "   |     | a%   | search is the start of a machine name",
    })
    void outOfRangeOrMalformedValuesAre400sNamingTheParameter(String first, String max, String search, String message) {
        Refusal refused = assertThrows(Refusal.class, () -> MachineListQuery.parse(first, max, search));
        assertThat(refused.kind().status(), is(400));
        assertThat(refused.code(), is("invalid_query"));
        assertThat(refused.json().toString(), containsString(message));
    }

    @Test
    void anOverlongSearchIsRefused() {
        assertThrows(Refusal.class, () -> MachineListQuery.parse(null, null, "a".repeat(64)));
    }
}
