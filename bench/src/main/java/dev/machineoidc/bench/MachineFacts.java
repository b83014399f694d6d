package dev.machineoidc.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Optional;

/** What the figures were measured on, printed with them: without it a tokens/s figure means little. */
final class MachineFacts {

    private MachineFacts() {
    }

    static String describe() {
        return String.format(Locale.ROOT, "%s, %d cores, %.0f GiB RAM, %s, Java %s (%s)", cpuModel(),
                Runtime.getRuntime().availableProcessors(), memoryGiB(), System.getProperty("os.name") + " "
                        + System.getProperty("os.version"), System.getProperty("java.version"), System.getProperty("java.vm.name"));
    }

    /** Short enough for a chart's title. */
    static String brief() {
        return Runtime.getRuntime().availableProcessors() + " cores, " + cpuModel();
    }

    private static String cpuModel() {
        return field(Path.of("/proc/cpuinfo"), "model name").orElse("unknown CPU");
    }

    private static double memoryGiB() {
        return field(Path.of("/proc/meminfo"), "MemTotal")
                .map(kb -> Long.parseLong(kb.replace("kB", "").trim()) / 1024.0 / 1024.0)
                .orElse(Double.NaN);
    }

    private static Optional<String> field(Path file, String name) {
        try {
            return Files.readAllLines(file).stream()
                    .filter(line -> line.startsWith(name))
                    .map(line -> line.substring(line.indexOf(':') + 1).trim())
                    .findFirst();
        } catch (IOException e) {
            return Optional.empty();
        }
    }
}
