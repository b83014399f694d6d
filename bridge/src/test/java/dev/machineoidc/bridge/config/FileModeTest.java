package dev.machineoidc.bridge.config;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.nio.file.attribute.PosixFilePermissions;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class FileModeTest {

    @ParameterizedTest
    @CsvSource({"0660, rw-rw----", "660, rw-rw----", "0600, rw-------", "0777, rwxrwxrwx", "0000, ---------", "0751, rwxr-x--x"})
    void parsesOctal(String octal, String symbolic) {
        assertThat(PosixFilePermissions.toString(FileMode.parseOctal(octal)), equalTo(symbolic));
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "66", "0668", "01777", "rw-rw----", "-660", "0x1b6"})
    void rejectsAnythingElse(String octal) {
        assertThrows(IllegalArgumentException.class, () -> FileMode.parseOctal(octal));
    }
}
