package dev.machineoidc.arquillian;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;

import org.jboss.shrinkwrap.api.Archive;
import org.jboss.shrinkwrap.api.Node;
import org.jboss.shrinkwrap.api.asset.Asset;
import org.jboss.shrinkwrap.api.exporter.ZipExporter;

/**
 * The provider archives the tests want in {@code providers/}, by archive name. The fingerprint covers the
 * archives' entries and bytes, not the exported zip, whose timestamps change on every export: the same jar
 * deployed by two test classes must not cost a restart.
 */
final class ProviderSet {

    private final Map<String, Archive<?>> archives = new TreeMap<>();

    void add(Archive<?> archive) {
        archives.put(archive.getName(), archive);
    }

    void remove(String name) {
        archives.remove(name);
    }

    String fingerprint() {
        MessageDigest digest = sha256();
        archives.forEach((name, archive) -> {
            update(digest, "archive:" + name);
            archive.getContent().entrySet().stream()
                    .sorted(Comparator.comparing(entry -> entry.getKey().get()))
                    .forEach(entry -> updateEntry(digest, entry.getKey().get(), entry.getValue()));
        });
        return HexFormat.of().formatHex(digest.digest());
    }

    /** Makes the jars in {@code directory} exactly this set; only ever called while Keycloak is down. */
    void writeTo(Path directory) throws IOException {
        Files.createDirectories(directory);
        try (Stream<Path> existing = Files.list(directory)) {
            for (Path jar : existing.filter(path -> path.getFileName().toString().endsWith(".jar")).toList()) {
                Files.delete(jar);
            }
        }
        for (Archive<?> archive : archives.values()) {
            archive.as(ZipExporter.class).exportTo(directory.resolve(archive.getName()).toFile(), true);
        }
    }

    private static void updateEntry(MessageDigest digest, String path, Node node) {
        update(digest, "entry:" + path);
        Asset asset = node.getAsset();
        if (asset == null) {
            return; // a directory: its path is all there is
        }
        try (InputStream content = asset.openStream()) {
            byte[] buffer = new byte[8192];
            for (int read = content.read(buffer); read >= 0; read = content.read(buffer)) {
                digest.update(buffer, 0, read);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + path + " to fingerprint it", e);
        }
    }

    private static void update(MessageDigest digest, String text) {
        digest.update(text.getBytes(StandardCharsets.UTF_8));
        digest.update((byte) 0);
    }

    static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java runtime has SHA-256", e);
        }
    }
}
