package dev.machineoidc.keycloak.machine;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.util.HashSet;
import java.util.Set;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.is;
import static org.hamcrest.Matchers.matchesPattern;

class MachineIdsTest {

    @Test
    void generatedIdsAre14LowercaseHexAndUnique() {
        Set<String> seen = new HashSet<>();
        for (int i = 0; i < 20_000; i++) {
            String id = MachineIds.generate();
            assertThat(id, matchesPattern("[0-9a-f]{14}"));
            assertThat(MachineIds.isValid(id), is(true));
            assertThat("duplicate id " + id, seen.add(id), is(true));
        }
    }

    @Test
    void generatedIdsUseTheWholeHexAlphabet() {
        Set<Character> chars = new HashSet<>();
        for (int i = 0; i < 200; i++) {
            MachineIds.generate().chars().forEach(c -> chars.add((char) c));
        }
        assertThat(chars.size(), is(16));
    }

    @ParameterizedTest
    @CsvSource(nullValues = "NULL", value = {
            "0123456789abcd, true",
            "ffffffffffffff, true",
            "00000000000000, true",
            "0123456789abc, false",
            "0123456789abcde, false",
            "0123456789ABCD, false",
            "0123456789abcg, false",
            "'', false",
            "NULL, false",
            "'0123456789abc ', false"})
    void isValid(String id, boolean valid) {
        assertThat(MachineIds.isValid(id), is(valid));
    }
}
