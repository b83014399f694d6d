package dev.machineoidc.arquillian;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/** The {@code kc.sh build} and {@code kc.sh start} command lines and their environment for one container. */
final class KcCommands {

    /**
     * Environment prefixes removed from what the child inherits: Keycloak reads {@code KC_*} and
     * {@code QUARKUS_*} as configuration and kc.sh reads {@code JAVA_OPTS*}, so a developer's shell must not
     * change what the tests run against.
     */
    private static final List<String> HOST_ENV_PREFIXES = List.of("KC_", "QUARKUS_", "JAVA_OPTS");

    private final KeycloakContainerConfiguration config;
    private final Path home;
    private final String marker;

    /** {@code home} is the directory kc.sh runs from: the container's copy of the distribution. */
    KcCommands(KeycloakContainerConfiguration config, String qualifier, Path home) {
        this.config = config;
        this.home = home;
        this.marker = "-Dmachineoidc.arquillian.container=" + qualifier + "@" + home;
    }

    Path home() {
        return home;
    }

    /**
     * A JVM system property on every command line this container launches (kc.sh hands {@code -D} arguments
     * to the JVM), so that a server left behind by a killed test JVM can be recognised and ended.
     */
    String marker() {
        return marker;
    }

    /** The embedded dev-file database unless the build options choose another one. */
    List<String> build() {
        List<String> buildOptions = split(config.getBuildOptions());
        List<String> command = new ArrayList<>(List.of(kcSh(), "build"));
        if (buildOptions.stream().noneMatch(option -> option.startsWith("--db="))) {
            command.add("--db=dev-file");
        }
        command.addAll(List.of("--health-enabled=true", "--metrics-enabled=true"));
        String features = String.join(",", split(config.getFeatures().replace(',', ' ')));
        if (!features.isEmpty()) {
            command.add("--features=" + features);
        }
        command.addAll(buildOptions);
        command.add(marker);
        return command;
    }

    List<String> start() {
        List<String> command = new ArrayList<>(List.of(kcSh(), "start", "--optimized",
                "--http-enabled=true",
                "--http-port=" + config.getHttpPort(),
                "--http-management-port=" + config.getManagementPort(),
                "--hostname-strict=false"));
        command.addAll(split(config.getSpiOptions()));
        command.addAll(split(config.getRuntimeOptions()));
        command.add(marker);
        return command;
    }

    /**
     * {@code kc.sh export} of one realm (with its users) into a file, against the stopped server's database: the
     * same build, SPI and runtime options as {@link #start()}, without the HTTP ones.
     */
    List<String> exportRealm(String realm, Path file) {
        return offline("export", List.of("--realm=" + realm, "--file=" + file, "--users=same_file"));
    }

    /** {@code kc.sh import} of a realm file into the stopped server's database; an existing realm is kept as it is. */
    List<String> importRealm(Path file) {
        return offline("import", List.of("--file=" + file, "--override=false"));
    }

    private List<String> offline(String verb, List<String> arguments) {
        List<String> command = new ArrayList<>(List.of(kcSh(), verb, "--optimized"));
        command.addAll(arguments);
        command.addAll(split(config.getSpiOptions()));
        command.addAll(split(config.getRuntimeOptions()));
        command.add(marker);
        return command;
    }

    Map<String, String> environment(Map<String, String> inherited) {
        Map<String, String> environment = new HashMap<>(inherited);
        environment.keySet().removeIf(name -> HOST_ENV_PREFIXES.stream().anyMatch(name::startsWith));
        environment.put("KC_BOOTSTRAP_ADMIN_USERNAME", config.getAdminUser());
        environment.put("KC_BOOTSTRAP_ADMIN_PASSWORD", config.getAdminPassword());
        String jvmOptions = String.join(" ", split(config.getJvmOptions()));
        if (!jvmOptions.isEmpty()) {
            environment.put("JAVA_OPTS_APPEND", jvmOptions);
        }
        return environment;
    }

    private String kcSh() {
        return home.resolve("bin").resolve("kc.sh").toString();
    }

    static List<String> split(String options) {
        return options == null || options.isBlank() ? List.of() : Arrays.asList(options.trim().split("\\s+"));
    }
}
