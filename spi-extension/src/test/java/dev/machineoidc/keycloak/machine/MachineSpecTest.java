package dev.machineoidc.keycloak.machine;

import dev.machineoidc.keycloak.refusal.Refusal;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.util.stream.Stream;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.is;
import static org.junit.jupiter.api.Assertions.assertThrows;

class MachineSpecTest {

    private static final String REGION = "sea";
    private static final String IMAGE = "registry.example.com/app:1.2.3";
    private static final String DIGEST = "sha256:" + "0123456789abcdef".repeat(4);

    @Test
    void validSpecKeepsItsValues() {
        MachineSpec spec = new MachineSpec(REGION, IMAGE, DIGEST);
        assertThat(spec.region(), is(REGION));
        assertThat(spec.image(), is(IMAGE));
        assertThat(spec.imageDigest(), is(DIGEST));
    }

    static Stream<Arguments> validEdges() {
        return Stream.of(
                Arguments.of("a", "x", DIGEST),
                Arguments.of("r".repeat(32), IMAGE, DIGEST),
                Arguments.of("us-east-1", "!".repeat(512), DIGEST),
                Arguments.of("0", "~", "sha256:" + "f".repeat(64)));
    }

    @ParameterizedTest
    @MethodSource("validEdges")
    void validEdgesAreAccepted(String region, String image, String digest) {
        assertThat(new MachineSpec(region, image, digest).region(), is(region));
    }

    static Stream<Arguments> invalid() {
        return Stream.of(
                Arguments.of(null, IMAGE, DIGEST, "invalid_region"),
                Arguments.of("", IMAGE, DIGEST, "invalid_region"),
                Arguments.of("SEA", IMAGE, DIGEST, "invalid_region"),
                Arguments.of("-sea", IMAGE, DIGEST, "invalid_region"),
                Arguments.of("us_east", IMAGE, DIGEST, "invalid_region"),
                Arguments.of("r".repeat(33), IMAGE, DIGEST, "invalid_region"),
                Arguments.of(REGION, null, DIGEST, "invalid_image"),
                Arguments.of(REGION, "", DIGEST, "invalid_image"),
                Arguments.of(REGION, "has space", DIGEST, "invalid_image"),
                Arguments.of(REGION, "tab\there", DIGEST, "invalid_image"),
                Arguments.of(REGION, "caf\u00e9", DIGEST, "invalid_image"),
                Arguments.of(REGION, "x".repeat(513), DIGEST, "invalid_image"),
                Arguments.of(REGION, IMAGE, null, "invalid_image_digest"),
                Arguments.of(REGION, IMAGE, "", "invalid_image_digest"),
                Arguments.of(REGION, IMAGE, "0123456789abcdef".repeat(4), "invalid_image_digest"),
                Arguments.of(REGION, IMAGE, "sha256:" + "0123456789ABCDEF".repeat(4), "invalid_image_digest"),
                Arguments.of(REGION, IMAGE, "sha256:" + "a".repeat(63), "invalid_image_digest"),
                Arguments.of(REGION, IMAGE, "sha256:" + "a".repeat(65), "invalid_image_digest"),
                Arguments.of(REGION, IMAGE, "sha512:" + "a".repeat(64), "invalid_image_digest"),
                Arguments.of(REGION, IMAGE, "sha256:" + "g".repeat(64), "invalid_image_digest"));
    }

    @ParameterizedTest
    @MethodSource("invalid")
    void eachBadFieldAnswers400WithItsOwnCode(String region, String image, String digest, String code) {
        Refusal error = assertThrows(Refusal.class, () -> new MachineSpec(region, image, digest));
        assertThat(error.kind().status(), is(400));
        assertThat(error.code(), is(code));
    }
}
