package dev.machineoidc.keycloak.config;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

import java.util.Optional;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.is;
import static org.junit.jupiter.api.Assertions.assertThrows;

class MachineOidcConfigTest {

    @ParameterizedTest
    @CsvSource({
            "https://oidc.example.com, https://oidc.example.com",
            "https://oidc.example.com/, https://oidc.example.com",
            "https://oidc.example.com///, https://oidc.example.com",
            "https://oidc.example.com/base/, https://oidc.example.com/base",
            "https://oidc.example.com/a/b, https://oidc.example.com/a/b",
            "http://127.0.0.1:8443/, http://127.0.0.1:8443",
            "http://localhost:8080/oidc, http://localhost:8080/oidc",
            "'  https://oidc.example.com/  ', https://oidc.example.com"})
    void baseUrlIsNormalised(String raw, String expected) {
        MachineOidcConfig config = new MachineOidcConfig(Optional.of(raw), 600, true, false);
        assertThat(config.issuerBaseUrl(), is(Optional.of(expected)));
        // normalising is idempotent
        assertThat(new MachineOidcConfig(config.issuerBaseUrl(), 600, true, false).issuerBaseUrl(), is(Optional.of(expected)));
    }

    @ParameterizedTest
    @ValueSource(strings = {
            "ftp://oidc.example.com",
            "file:///etc/passwd",
            "oidc.example.com",
            "/relative/path",
            "mailto:admin@example.com",
            "https://oidc.example.com?x=1",
            "https://oidc.example.com/?x=1",
            "https://oidc.example.com/base?x",
            "https://oidc.example.com#frag",
            "https://oidc.example.com/#",
            "https://oidc.example.com/base#frag",
            "https:///no-host",
            "",
            "   "})
    void badBaseUrlsAreRefusedNamingTheOption(String raw) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> new MachineOidcConfig(Optional.of(raw), 600, true, false));
        assertThat(e.getMessage(), containsString(MachineOidcConfig.ISSUER_BASE_URL));
    }

    /** Not even URI syntax: refused too (the message is java.net.URI's). */
    @ParameterizedTest
    @ValueSource(strings = {"https://", "not a url", "https://exa mple.com", "http://[::1"})
    void unparseableBaseUrlsAreRefused(String raw) {
        assertThrows(IllegalArgumentException.class, () -> new MachineOidcConfig(Optional.of(raw), 600, true, false));
    }

    @Test
    void withoutABaseUrlKeycloaksIssuerIsUsed() {
        assertThat(new MachineOidcConfig(Optional.empty(), 600, true, false).issuerBaseUrl(), is(Optional.empty()));
    }

    @ParameterizedTest
    @ValueSource(ints = {0, -1, Integer.MIN_VALUE})
    void enrollmentLifetimeMustBePositive(int seconds) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> new MachineOidcConfig(Optional.empty(), seconds, true, false));
        assertThat(e.getMessage(), containsString(MachineOidcConfig.ENROLLMENT_LIFETIME));
    }

    @ParameterizedTest
    @ValueSource(ints = {1, 600, 86_400})
    void positiveEnrollmentLifetimesAreKept(int seconds) {
        assertThat(new MachineOidcConfig(Optional.empty(), seconds, true, false).enrollmentLifetimeSeconds(), is(seconds));
    }

    @Test
    void defaultEnrollmentLifetimeIsTenMinutes() {
        assertThat(MachineOidcConfig.DEFAULT_ENROLLMENT_LIFETIME, is(600));
    }
}
