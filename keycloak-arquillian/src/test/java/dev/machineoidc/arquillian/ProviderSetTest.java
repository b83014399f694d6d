package dev.machineoidc.arquillian;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.containsInAnyOrder;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.not;

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;

import org.jboss.shrinkwrap.api.ShrinkWrap;
import org.jboss.shrinkwrap.api.asset.StringAsset;
import org.jboss.shrinkwrap.api.exporter.ZipExporter;
import org.jboss.shrinkwrap.api.spec.JavaArchive;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ProviderSetTest {

    @TempDir
    Path dir;

    private static JavaArchive jar(String name, String content) {
        return ShrinkWrap.create(JavaArchive.class, name)
                .addAsManifestResource(new StringAsset(content), "services/org.keycloak.Example");
    }

    private static String fingerprintOf(JavaArchive... archives) {
        ProviderSet set = new ProviderSet();
        Stream.of(archives).forEach(set::add);
        return set.fingerprint();
    }

    @Test
    void sameContentSameFingerprintEvenAfterAZipRoundTrip() throws IOException {
        File exported = dir.resolve("a.jar").toFile();
        jar("a.jar", "x").as(ZipExporter.class).exportTo(exported);
        JavaArchive reimported = ShrinkWrap.createFromZipFile(JavaArchive.class, exported);

        assertThat(fingerprintOf(reimported), equalTo(fingerprintOf(jar("a.jar", "x"))));
    }

    @Test
    void fingerprintChangesWithContentNameAndMembership() {
        String base = fingerprintOf(jar("a.jar", "x"));

        assertThat(fingerprintOf(jar("a.jar", "y")), not(equalTo(base)));
        assertThat(fingerprintOf(jar("b.jar", "x")), not(equalTo(base)));
        assertThat(fingerprintOf(jar("a.jar", "x"), jar("b.jar", "x")), not(equalTo(base)));
    }

    @Test
    void removingAnArchiveRestoresTheFingerprint() {
        ProviderSet set = new ProviderSet();
        set.add(jar("a.jar", "x"));
        String withA = set.fingerprint();
        set.add(jar("b.jar", "x"));
        set.remove("b.jar");

        assertThat(set.fingerprint(), equalTo(withA));
    }

    @Test
    void writeToLeavesExactlyTheSetsJarsAndKeepsOtherFiles() throws IOException {
        Files.writeString(dir.resolve("stale.jar"), "old");
        Files.writeString(dir.resolve("README.md"), "keep");
        ProviderSet set = new ProviderSet();
        set.add(jar("a.jar", "x"));
        set.add(jar("b.jar", "y"));

        set.writeTo(dir);

        try (Stream<Path> files = Files.list(dir)) {
            assertThat(files.map(path -> path.getFileName().toString()).toList(),
                    containsInAnyOrder("a.jar", "b.jar", "README.md"));
        }
        assertThat(fingerprintOf(ShrinkWrap.createFromZipFile(JavaArchive.class, dir.resolve("a.jar").toFile())),
                equalTo(fingerprintOf(jar("a.jar", "x"))));
    }
}
