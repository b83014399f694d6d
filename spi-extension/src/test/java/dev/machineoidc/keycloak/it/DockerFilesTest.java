package dev.machineoidc.keycloak.it;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.hasItems;
import static org.hamcrest.Matchers.is;
import static org.hamcrest.Matchers.not;

/**
 * No Docker engine runs here, so docker/ is checked by what can run without one: the shipped nginx site passes
 * {@code nginx -t}, compose.yaml parses with the services and health checks a deployment needs, and the Keycloak
 * image builds with the very script and options ./run-local.sh uses (the script itself is run against a stand-in
 * kc.sh).
 */
class DockerFilesTest {

    private static final Path ROOT = Path.of("..").toAbsolutePath().normalize();
    private static final Path DOCKER = ROOT.resolve("docker");
    private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());
    private static final String BUILD_SCRIPT = "docker/keycloak-build.sh";

    @Test
    void shippedNginxSitePassesNginxTest(@TempDir Path work) throws Exception {
        String site = Files.readString(DOCKER.resolve("nginx/oidc.conf"));
        String includePath = includePath(site);
        // Only what cannot hold outside compose changes: the service name keycloak resolves only in the compose
        // network, and the include points at where compose mounts issuer-locations.conf.
        String testable = replaceOnce(site, "server keycloak:8080;", "server 127.0.0.1:8080;");
        testable = replaceOnce(testable, "include " + includePath + ";",
                "include " + DOCKER.resolve("nginx/issuer-locations.conf") + ";");
        Files.writeString(work.resolve("oidc.conf"), testable);
        Files.writeString(work.resolve("nginx.conf"), """
                pid %1$s/nginx.pid;
                error_log %1$s/error.log;
                events {}
                http {
                    access_log off;
                    include %1$s/oidc.conf;
                }
                """.formatted(work));

        Process nginx = new ProcessBuilder("nginx", "-t", "-p", work.toString(), "-c", work.resolve("nginx.conf").toString())
                .redirectErrorStream(true).start();
        nginx.getOutputStream().close();
        assertThat("nginx -t finished", nginx.waitFor(30, TimeUnit.SECONDS), is(true));
        String output = new String(nginx.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(output, nginx.exitValue(), is(0));
        assertThat(output, containsString("test is successful"));
    }

    @Test
    void composeFileHasTheServicesHealthChecksAndMounts() throws Exception {
        JsonNode compose = YAML.readTree(DOCKER.resolve("compose.yaml").toFile());
        JsonNode services = compose.get("services");
        assertThat(names(services), equalTo(Set.of("postgres", "keycloak", "nginx", "bridge")));

        JsonNode postgres = services.get("postgres");
        assertThat(text(postgres.at("/healthcheck/test")), containsString("pg_isready"));

        JsonNode keycloak = services.get("keycloak");
        assertThat(keycloak.at("/build/dockerfile").asText(), is("docker/keycloak/Dockerfile"));
        assertThat(Files.isRegularFile(DOCKER.resolve(keycloak.at("/build/context").asText())
                .resolve(keycloak.at("/build/dockerfile").asText())), is(true));
        List<String> command = strings(keycloak.get("command"));
        assertThat(command.subList(0, 2), equalTo(List.of("start", "--optimized")));
        assertThat(command, hasItem("--spi-machine-oidc--default--issuer-base-url=${ISSUER_BASE_URL:-https://oidc.example.com}"));
        assertThat(keycloak.at("/environment/KC_DB").asText(), is("postgres"));
        assertThat(keycloak.at("/environment/KC_DB_URL").asText(), is("jdbc:postgresql://postgres:5432/keycloak"));
        assertThat(keycloak.at("/depends_on/postgres/condition").asText(), is("service_healthy"));
        String readiness = text(keycloak.at("/healthcheck/test"));
        assertThat(readiness, containsString("/dev/tcp/127.0.0.1/9000"));
        assertThat(readiness, containsString("GET /health/ready "));

        JsonNode nginx = services.get("nginx");
        assertThat(nginx.at("/depends_on/keycloak/condition").asText(), is("service_healthy"));
        List<String> mounts = strings(nginx.get("volumes"));
        String site = Files.readString(DOCKER.resolve("nginx/oidc.conf"));
        assertThat("issuer-locations.conf is mounted where oidc.conf includes it", mounts,
                hasItems("./nginx/oidc.conf:/etc/nginx/conf.d/default.conf:ro",
                        "./nginx/issuer-locations.conf:" + includePath(site) + ":ro"));
        for (String mount : mounts) {
            assertThat(mount, Files.isRegularFile(DOCKER.resolve(mount.split(":")[0])), is(true));
        }

        JsonNode bridge = services.get("bridge");
        assertThat(bridge.at("/build/dockerfile").asText(), is("docker/bridge/Dockerfile"));
        assertThat(bridge.at("/environment/MACHINE_OIDC_KEYCLOAK_URL").asText(), is("http://keycloak:8080"));
        assertThat("the enrollment token comes from the environment, never the file",
                bridge.at("/environment/MACHINE_OIDC_ENROLLMENT_TOKEN").asText(), is("${MACHINE_OIDC_ENROLLMENT_TOKEN:-}"));
        assertThat(bridge.at("/environment/FLY_API_SOCKET").asText(), is("/.fly/api"));
        assertThat(strings(bridge.get("volumes")), hasItems("bridge-state:/var/lib/machine-oidc-bridge", "fly-api:/.fly"));
        assertThat(bridge.at("/depends_on/keycloak/condition").asText(), is("service_healthy"));
        assertThat(names(compose.get("volumes")), equalTo(Set.of("postgres-data", "bridge-state", "fly-api")));
    }

    @Test
    void keycloakImageBuildsWithTheScriptAndJarsOfRunLocal() throws Exception {
        List<String> dockerfile = instructions(DOCKER.resolve("keycloak/Dockerfile"));
        String image = "quay.io/keycloak/keycloak:" + keycloakVersion();
        int finalStage = lastIndexStartingWith(dockerfile, "FROM ");
        List<String> builder = dockerfile.subList(0, finalStage);
        List<String> runtime = dockerfile.subList(finalStage, dockerfile.size());

        assertThat(builder.get(0), is("FROM " + image + " AS builder"));
        assertThat(builder, hasItem("COPY --chmod=0755 " + BUILD_SCRIPT + " ./keycloak-build.sh"));
        List<String> jars = runLocalArray("PROVIDER_JARS");
        assertThat("the image gets the jars run-local installs", builder,
                hasItem("COPY " + String.join(" ", jars) + " ./providers/"));
        List<String> runs = builder.stream().filter(line -> line.startsWith("RUN ")).toList();
        assertThat("kc.sh build runs only through the shared script", runs, equalTo(List.of(
                "RUN ./keycloak-build.sh /opt/keycloak " + jars.stream().map(jar -> "providers/" + Path.of(jar).getFileName())
                        .collect(Collectors.joining(" ")) + " --db=postgres")));

        assertThat(runtime.get(0), is("FROM " + image));
        assertThat(runtime, hasItem("COPY --from=builder /opt/keycloak/ /opt/keycloak/"));
        assertThat(runtime, hasItem("ENTRYPOINT [\"/opt/keycloak/bin/kc.sh\"]"));
        assertThat(runtime, hasItem("CMD [\"start\", \"--optimized\"]"));
        assertThat(String.join("\n", dockerfile), not(containsString("kc.sh build")));

        String runLocal = Files.readString(ROOT.resolve("run-local.sh"));
        assertThat(runLocal, containsString("KC_BUILD_SCRIPT=" + BUILD_SCRIPT + "\n"));
        assertThat(runLocal, containsString("\"$KC_BUILD_SCRIPT\" \"$KC_HOME\" \"${PROVIDER_JARS[@]}\" \"${KC_BUILD_OPTIONS[@]}\""));
        assertThat("run-local builds only through the shared script", runLocal, not(containsString("/bin/kc.sh\" build")));
        assertThat(runLocal, containsString("kc.sh\" start --optimized"));
        assertThat(runLocalArray("KC_BUILD_OPTIONS"), equalTo(List.of("--db=dev-file")));
    }

    @Test
    void buildScriptOptionsAreThoseOfTheContainerTests() throws Exception {
        List<String> common = scriptArray("COMMON_BUILD_OPTIONS");
        assertThat(common, equalTo(List.of("--features=declarative-ui", "--health-enabled=true", "--metrics-enabled=true")));
        String arquillian = Files.readString(Path.of("src/test/resources/arquillian.xml"));
        Matcher features = Pattern.compile("<property name=\"features\">([^<]*)</property>").matcher(arquillian);
        int containers = 0;
        while (features.find()) {
            assertThat("every test container builds with the image's features", "--features=" + features.group(1).trim(),
                    is(common.get(0)));
            containers++;
        }
        assertThat(containers > 0, is(true));
    }

    /** Runs the script against a stand-in kc.sh that records its arguments. */
    @Test
    void buildScriptInstallsJarsAndRunsKcShBuild(@TempDir Path work) throws Exception {
        Path home = work.resolve("keycloak");
        Files.createDirectories(home.resolve("bin"));
        Files.createDirectories(home.resolve("providers"));
        Path kcSh = home.resolve("bin/kc.sh");
        Files.writeString(kcSh, "#!/bin/sh\nprintf '%s\\n' \"$@\" > \"$(dirname \"$0\")/../args\"\n");
        kcSh.toFile().setExecutable(true);
        Path jar = Files.writeString(work.resolve("provider.jar"), "not really a jar");

        assertThat(run(ROOT.resolve(BUILD_SCRIPT).toString(), home.toString(), jar.toString()), is(0));
        assertThat(Files.readAllLines(home.resolve("args")), equalTo(List.of("build", "--db=dev-file",
                "--features=declarative-ui", "--health-enabled=true", "--metrics-enabled=true")));
        assertThat(Files.readString(home.resolve("providers/provider.jar")), is("not really a jar"));

        assertThat(run(ROOT.resolve(BUILD_SCRIPT).toString(), home.toString(), "--db=postgres"), is(0));
        assertThat(Files.readAllLines(home.resolve("args")), equalTo(List.of("build",
                "--features=declarative-ui", "--health-enabled=true", "--metrics-enabled=true", "--db=postgres")));

        assertThat("a missing jar is an error", run(ROOT.resolve(BUILD_SCRIPT).toString(), home.toString(),
                work.resolve("missing.jar").toString()), is(2));
        assertThat("no distribution is an error", run(ROOT.resolve(BUILD_SCRIPT).toString(), work.toString()), is(2));
    }

    @Test
    void bridgeImageRunsTheLauncherOnTheJre() throws Exception {
        List<String> dockerfile = instructions(DOCKER.resolve("bridge/Dockerfile"));
        assertThat(dockerfile.get(0), is("FROM eclipse-temurin:17-jre"));
        assertThat(dockerfile, hasItem("COPY --chmod=0755 bridge/bin/machine-oidc-bridge /opt/machine-oidc-bridge/bin/machine-oidc-bridge"));
        assertThat(dockerfile, hasItem("COPY bridge/target/machine-oidc-bridge.jar /opt/machine-oidc-bridge/machine-oidc-bridge.jar"));
        assertThat(dockerfile, hasItem("ENTRYPOINT [\"/opt/machine-oidc-bridge/bin/machine-oidc-bridge\"]"));
        assertThat(dockerfile, hasItem("USER bridge"));
        assertThat(Files.isExecutable(ROOT.resolve("bridge/bin/machine-oidc-bridge")), is(true));
    }

    private static int run(String... command) throws IOException, InterruptedException {
        Process process = new ProcessBuilder(command).redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
        process.getOutputStream().close();
        assertThat(String.join(" ", command) + " finished", process.waitFor(30, TimeUnit.SECONDS), is(true));
        return process.exitValue();
    }

    /** Dockerfile instructions, continuation lines joined, comments and blank lines dropped, spaces collapsed. */
    private static List<String> instructions(Path dockerfile) throws IOException {
        List<String> instructions = new ArrayList<>();
        StringBuilder current = new StringBuilder();
        for (String line : Files.readAllLines(dockerfile)) {
            String trimmed = line.strip();
            if (trimmed.startsWith("#") || trimmed.isEmpty()) {
                continue;
            }
            boolean continued = trimmed.endsWith("\\");
            current.append(continued ? trimmed.substring(0, trimmed.length() - 1) : trimmed).append(' ');
            if (!continued) {
                instructions.add(current.toString().strip().replaceAll("\\s+", " "));
                current.setLength(0);
            }
        }
        assertThat("no dangling continuation in " + dockerfile, current.toString().isBlank(), is(true));
        return instructions;
    }

    private static int lastIndexStartingWith(List<String> lines, String prefix) {
        for (int i = lines.size() - 1; i >= 0; i--) {
            if (lines.get(i).startsWith(prefix)) {
                return i;
            }
        }
        throw new AssertionError("no " + prefix + "in " + lines);
    }

    private static String keycloakVersion() throws IOException {
        Matcher version = Pattern.compile("<keycloak.version>([^<]+)</keycloak.version>")
                .matcher(Files.readString(ROOT.resolve("pom.xml")));
        assertThat(version.find(), is(true));
        return version.group(1);
    }

    private static List<String> runLocalArray(String name) throws IOException {
        return shellArray(ROOT.resolve("run-local.sh"), name);
    }

    private static List<String> scriptArray(String name) throws IOException {
        return shellArray(ROOT.resolve(BUILD_SCRIPT), name);
    }

    /** A one-line bash array assignment {@code NAME=(a b c)} with plain words. */
    private static List<String> shellArray(Path file, String name) throws IOException {
        Matcher array = Pattern.compile("(?m)^" + Pattern.quote(name) + "=\\(([^)]*)\\)$").matcher(Files.readString(file));
        assertThat(name + "=(…) in " + file, array.find(), is(true));
        return List.of(array.group(1).trim().split("\\s+"));
    }

    private static String includePath(String site) {
        Matcher include = Pattern.compile("(?m)^\\s*include\\s+(\\S+);").matcher(site);
        assertThat("oidc.conf includes issuer-locations.conf", include.find(), is(true));
        assertThat(include.group(1), containsString("issuer-locations.conf"));
        return include.group(1);
    }

    private static String replaceOnce(String text, String from, String to) {
        int at = text.indexOf(from);
        assertThat("exactly one '" + from + "'", at >= 0 && text.indexOf(from, at + 1) < 0, is(true));
        return text.replace(from, to);
    }

    private static Set<String> names(JsonNode object) {
        Set<String> names = new LinkedHashSet<>();
        object.fieldNames().forEachRemaining(names::add);
        return names;
    }

    private static List<String> strings(JsonNode array) {
        List<String> values = new ArrayList<>();
        array.forEach(node -> values.add(node.asText()));
        return values;
    }

    /** A health check's test: the list joined by spaces, or the string. */
    private static String text(JsonNode test) {
        return test.isArray() ? String.join(" ", strings(test)) : test.asText();
    }
}
