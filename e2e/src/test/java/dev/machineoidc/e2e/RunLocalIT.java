package dev.machineoidc.e2e;

import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;

import java.io.ByteArrayOutputStream;
import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.allOf;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.empty;
import static org.hamcrest.Matchers.hasEntry;
import static org.hamcrest.Matchers.is;
import static org.hamcrest.Matchers.not;
import static org.hamcrest.Matchers.notNullValue;
import static org.hamcrest.Matchers.startsWith;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * The contract's {@code ./run-local.sh}, from a user's point of view: in a clean copy of the working tree (no
 * target/, no .local/), it builds, starts Keycloak with the example org, enrolls and starts the bridge, prints READY
 * and a curl line; that curl line, run as printed, mints the example machine's token; Ctrl-C stops everything. A
 * second run in the same copy reuses the state: no build, no import, no enrollment, the same bridge key; it sets
 * {@code ISSUER_BASE_URL}, so tokens carry the Fly-shaped issuer whose discovery and keys nginx serves at that path.
 * Only free, non-default ports are used, so a developer's own run-local.sh on 8080/9000 is not disturbed.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class RunLocalIT {

    /** The line the contract and the README show. */
    static final String CURL_EXAMPLE =
            "curl --unix-socket ./.fly/api -X POST http://localhost/v1/tokens/oidc --data '{\"aud\":\"sts.amazonaws.com\"}'";
    static final Set<String> CLAIMS = Set.of("iss", "sub", "aud", "iat", "nbf", "exp", "jti", "org_id", "org_name",
            "app_id", "app_name", "machine_id", "machine_name", "machine_version", "image", "image_digest", "region");

    private static final ObjectMapper JSON = new ObjectMapper();

    private Path work;
    private Path checkout;
    private int httpPort;
    private int managementPort;
    private int issuerPort;
    private Map<String, String> environment;
    private RunLocal current;

    private boolean firstRunPassed;
    private byte[] machineKey;
    private byte[] enrollment;
    private String firstJti;

    @BeforeAll
    void cleanCheckout() throws Exception {
        Path repoRoot = Path.of(System.getProperty("e2e.repo.root", "..")).toRealPath();
        work = Path.of(System.getProperty("project.build.directory", "target")).toAbsolutePath().normalize().resolve("e2e");
        checkout = CleanCheckout.create(repoRoot, work.resolve("checkout"));
        int[] ports = freePorts();
        httpPort = ports[0];
        managementPort = ports[1];
        issuerPort = ports[2];
        environment = environment();
        log("clean copy of " + repoRoot + " in " + checkout + "; KC_PORT=" + httpPort + " KC_MANAGEMENT_PORT=" + managementPort
                + " ISSUER_BASE_URL port " + issuerPort);
    }

    @AfterAll
    void stopWhateverIsLeft() throws Exception {
        if (current != null) {
            current.close();
        }
    }

    @Test
    @Order(0)
    void helpNamesEveryVariable() throws Exception {
        Process help = new ProcessBuilder("./run-local.sh", "--help").directory(checkout.toFile())
                .redirectErrorStream(true).start();
        String text = new String(help.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(help.waitFor(30, TimeUnit.SECONDS), is(true));
        assertThat(text, help.exitValue(), is(0));
        for (String variable : List.of("KC_PORT", "KC_MANAGEMENT_PORT", "FLY_API_SOCKET", "KC_BOOTSTRAP_ADMIN_USERNAME",
                "KC_BOOTSTRAP_ADMIN_PASSWORD", "KC_START_TIMEOUT", "ISSUER_BASE_URL", "ISSUER_PORT")) {
            assertThat(text, containsString("\n  " + variable + " "));
        }
    }

    @Test
    @Order(1)
    void firstRunBuildsImportsEnrollsMintsAndCtrlCStopsEverything() throws Exception {
        Instant start = Instant.now();
        try (RunLocal run = start("run-1.log", environment)) {
            run.awaitLine(line -> line.startsWith("READY"), Duration.ofMinutes(20));
            log("first run: READY after " + secondsSince(start) + " s");
            String curl = curlLine(run);
            assertThat("the curl example run-local.sh prints" + run.describe(), curl, is(CURL_EXAMPLE));

            Jwt jwt = mint(curl, run);
            assertExampleToken(jwt, "http://127.0.0.1:" + httpPort + "/realms/example-org");
            assertThat("signature checked against the issuer's JWKS", jwt.verifiedByIssuer(), is(true));
            firstJti = (String) jwt.claims().get("jti");
            assertImportedExampleOrg();
            for (String readmeCurl : readmeCurlLines()) {
                assertThat("README: " + readmeCurl, mint(readmeCurl, run).claims(),
                        hasEntry("sub", "example-org:example-app:example-machine"));
            }

            String output = run.output();
            assertThat(output, allOf(containsString("building"), containsString("unpacking"),
                    containsString("kc.sh build"), containsString("enrolling the example machine 148e21ea7e46e8")));
            assertNoSecretPrinted(run);
            stopWithCtrlCAndAssertNothingLeft(run);
        }
        machineKey = Files.readAllBytes(checkout.resolve(".local/bridge/machine-key.json"));
        enrollment = Files.readAllBytes(checkout.resolve(".local/bridge/enrollment.json"));
        assertThat(Files.isDirectory(checkout.resolve(".local/keycloak-26.7.3/data/h2")), is(true));
        firstRunPassed = true;
        log("first run: " + secondsSince(start) + " s in all");
    }

    @Test
    @Order(2)
    void secondRunReusesTheStateServesTheIssuerBaseAndCtrlCStopsEverything() throws Exception {
        assumeTrue(firstRunPassed, "the first run did not pass");
        Instant start = Instant.now();
        Map<String, String> withIssuerBase = new HashMap<>(environment);
        String issuer = "http://127.0.0.1:" + issuerPort + "/example-org";
        withIssuerBase.put("ISSUER_BASE_URL", "http://127.0.0.1:" + issuerPort);
        try (RunLocal run = start("run-2.log", withIssuerBase)) {
            run.awaitLine(line -> line.startsWith("READY"), Duration.ofMinutes(5));
            log("second run: READY after " + secondsSince(start) + " s");
            Jwt jwt = mint(curlLine(run), run);
            assertExampleToken(jwt, issuer);
            assertThat("a fresh token", jwt.claims().get("jti"), not(firstJti));
            assertThat("discovery and keys through nginx at the issuer's path", jwt.verifiedByIssuer(), is(true));
            assertThat(Jwt.fetch(issuer + "/.well-known/openid-configuration"),
                    hasEntry("jwks_uri", issuer + "/.well-known/jwks"));
            assertThat(run.output(), containsString("Issuer " + issuer + ": discovery " + issuer
                    + "/.well-known/openid-configuration, keys " + issuer + "/.well-known/jwks"));

            String output = run.output();
            assertThat("nothing rebuilt, unpacked or enrolled" + run.describe(), output, allOf(
                    not(containsString("building")), not(containsString("unpacking")),
                    not(containsString("kc.sh build")), not(containsString("enrolling"))));
            assertThat("the bridge used its stored identity",
                    Files.readString(checkout.resolve(".local/logs/bridge.log")), not(containsString("Enrolled")));
            assertThat("Keycloak kept the realm of the first run",
                    Files.readString(checkout.resolve(".local/logs/keycloak.log")),
                    containsString("Realm 'example-org' already exists. Import skipped"));
            assertThat("the same bridge key", Files.readAllBytes(checkout.resolve(".local/bridge/machine-key.json")),
                    is(machineKey));
            assertThat("the same enrollment", Files.readAllBytes(checkout.resolve(".local/bridge/enrollment.json")),
                    is(enrollment));
            stopWithCtrlCAndAssertNothingLeft(run);
        }
        log("second run: " + secondsSince(start) + " s in all");
    }

    private RunLocal start(String outputName, Map<String, String> env) throws IOException {
        current = RunLocal.start(checkout, env, work.resolve(outputName));
        return current;
    }

    private void assertExampleToken(Jwt jwt, String issuer) {
        assertThat(jwt.header(), allOf(hasEntry("alg", "RS256"), hasEntry("typ", "JWT")));
        assertThat(jwt.header().get("kid"), notNullValue());
        Map<String, Object> claims = jwt.claims();
        assertThat("exactly the contract's claims", new TreeSet<>(claims.keySet()), is(new TreeSet<>(CLAIMS)));
        assertThat(claims, allOf(
                hasEntry("iss", issuer),
                hasEntry("sub", "example-org:example-app:example-machine"),
                hasEntry("aud", "sts.amazonaws.com"),
                hasEntry("org_id", "11111111"),
                hasEntry("org_name", "example-org"),
                hasEntry("app_id", "22222222"),
                hasEntry("app_name", "example-app"),
                hasEntry("machine_id", "148e21ea7e46e8"),
                hasEntry("machine_name", "example-machine"),
                hasEntry("machine_version", "01HTGGC1TZ2JHK83J4AC0R3VET"),
                hasEntry("image", "docker-hub-mirror.fly.io/you/image:latest"),
                hasEntry("image_digest", "sha256:2c1cdaded1b3820020c9dc9fdd1d6e798d6f6ca36861bb6ae64019fad6be9ee3"),
                hasEntry("region", "sea")));
        long iat = ((Number) claims.get("iat")).longValue();
        assertThat("exp - iat", ((Number) claims.get("exp")).longValue() - iat, is(600L));
        assertThat("nbf", ((Number) claims.get("nbf")).longValue(), is(iat));
    }

    /** The admin API shows the org imported from realm-export/ with Fly's example ids, and the machine enrolled. */
    private void assertImportedExampleOrg() throws Exception {
        String base = "http://127.0.0.1:" + httpPort;
        HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();
        String form = "grant_type=password&client_id=admin-cli&username=admin&password="
                + URLEncoder.encode(environment.get("KC_BOOTSTRAP_ADMIN_PASSWORD"), StandardCharsets.UTF_8);
        HttpResponse<String> login = http.send(HttpRequest.newBuilder(URI.create(base + "/realms/master/protocol/openid-connect/token"))
                .header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString(form)).build(), HttpResponse.BodyHandlers.ofString());
        assertThat("admin login", login.statusCode(), is(200));
        String token = (String) JSON.readValue(login.body(), Map.class).get("access_token");
        String admin = base + "/admin/realms/example-org/machine-oidc";
        assertThat(getJson(http, token, admin + "/apps"),
                is(List.of(Map.of("app_id", "22222222", "app_name", "example-app", "machine_count", 1))));
        Map<String, Object> machine = new HashMap<>();
        machine.put("machine_id", "148e21ea7e46e8");
        machine.put("machine_name", "example-machine");
        machine.put("machine_version", "01HTGGC1TZ2JHK83J4AC0R3VET");
        machine.put("app_id", "22222222");
        machine.put("app_name", "example-app");
        machine.put("region", "sea");
        machine.put("image", "docker-hub-mirror.fly.io/you/image:latest");
        machine.put("image_digest", "sha256:2c1cdaded1b3820020c9dc9fdd1d6e798d6f6ca36861bb6ae64019fad6be9ee3");
        machine.put("enrolled", true);
        machine.put("enabled", true);
        machine.put("created_at", "2024-04-03T16:21:04Z");
        assertThat(getJson(http, token, admin + "/apps/example-app/machines"), is(List.of(machine)));
        Object settings = getJson(http, token, admin + "/settings");
        assertThat(settings, is(Map.of("issuer", base + "/realms/example-org", "token_lifetime", 600, "nbf_backdate", 0,
                "allowed_audiences", List.of("*"), "mint_rate_limit", 100, "jwks_cache_seconds", 300,
                "subject_template", "{org}:{app}:{machine}", "default_audience", base + "/realms/example-org")));
    }

    private static Object getJson(HttpClient http, String token, String url) throws Exception {
        HttpResponse<String> response = http.send(HttpRequest.newBuilder(URI.create(url))
                .header("Authorization", "Bearer " + token).build(), HttpResponse.BodyHandlers.ofString());
        assertThat("GET " + url + ": " + response.body(), response.statusCode(), is(200));
        return JSON.readValue(response.body(), Object.class);
    }

    /** SIGINT as Ctrl-C sends it; then no process of the run, no listener on its ports, no socket file. */
    private void stopWithCtrlCAndAssertNothingLeft(RunLocal run) throws Exception {
        List<ProcessHandle> started = run.descendants();
        assertThat("Keycloak and the bridge run under the script", started, not(empty()));
        int expectedStatus = run.interrupt();
        Instant signalled = Instant.now();
        int status = run.awaitExit(Duration.ofMinutes(2));
        log("stopped " + Duration.between(signalled, Instant.now()).toMillis() + " ms after the signal, status " + status);
        assertThat("exit status after the signal" + run.describe(), status, is(expectedStatus));
        assertThat(run.output(), containsString("stopped Keycloak and the bridge"));

        Instant deadline = Instant.now().plusSeconds(20);
        while (started.stream().anyMatch(ProcessHandle::isAlive) && Instant.now().isBefore(deadline)) {
            Thread.sleep(200);
        }
        assertThat("processes the run started", describe(started.stream().filter(ProcessHandle::isAlive).toList()),
                is(empty()));
        String checkoutPath = checkout.toString();
        List<ProcessHandle> strays = ProcessHandle.allProcesses()
                .filter(p -> p.pid() != ProcessHandle.current().pid())
                .filter(p -> p.info().commandLine().map(c -> c.contains(checkoutPath)).orElse(false))
                .toList();
        assertThat("processes running from the checkout", describe(strays), is(empty()));
        for (int port : new int[] {httpPort, managementPort, issuerPort}) {
            assertThat("port " + port + " is free again", canBind(port), is(true));
        }
        assertThat("the socket is removed", Files.exists(checkout.resolve(".fly/api"), LinkOption.NOFOLLOW_LINKS), is(false));
        current = null;
    }

    /** The curl line run-local.sh printed, as a user would copy it. */
    private static String curlLine(RunLocal run) {
        return run.lines().stream().map(String::trim).filter(line -> line.startsWith("curl --unix-socket"))
                .findFirst().orElseThrow(() -> new AssertionError("no curl example in the output" + run.describe()));
    }

    /** Runs a curl line with bash in the checkout, exactly as typed; its whole stdout must be a JWT. */
    private Jwt mint(String curl, RunLocal run) throws Exception {
        Process process = new ProcessBuilder("bash", "-c", curl)
                .directory(checkout.toFile())
                .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")))
                .redirectError(ProcessBuilder.Redirect.INHERIT)
                .start();
        process.getOutputStream().close();
        String body;
        try (InputStream in = process.getInputStream()) {
            ByteArrayOutputStream buffer = new ByteArrayOutputStream();
            in.transferTo(buffer);
            body = buffer.toString(StandardCharsets.UTF_8);
        }
        if (!process.waitFor(60, TimeUnit.SECONDS)) {
            process.destroyForcibly();
            throw new AssertionError("curl did not finish: " + curl);
        }
        assertThat("curl's exit status for: " + curl + run.describe(), process.exitValue(), is(0));
        assertThat("the body is a JWT alone: " + Jwt.abbreviate(body), body, startsWith("eyJ"));
        assertThat("no trailing newline", body.endsWith("\n"), is(false));
        return Jwt.parse(body);
    }

    /** Lines of the README that call the example socket the way the contract shows, to be run as they stand. */
    private List<String> readmeCurlLines() throws IOException {
        Path readme = checkout.resolve("README.md");
        if (!Files.isRegularFile(readme)) {
            return List.of();
        }
        return Files.readAllLines(readme).stream().map(String::trim)
                .filter(line -> line.startsWith("curl --unix-socket ./.fly/api ") && !line.endsWith("\\"))
                .collect(Collectors.toList());
    }

    /** Neither the output nor the logs show the admin password (set to a random one for that reason) or a token. */
    private void assertNoSecretPrinted(RunLocal run) throws IOException {
        String password = environment.get("KC_BOOTSTRAP_ADMIN_PASSWORD");
        assertThat("no JWT in run-local.sh's output", run.output(), not(containsString("eyJ")));
        assertThat("no admin password in run-local.sh's output", run.output(), not(containsString(password)));
        for (String log : List.of("keycloak.log", "bridge.log", "build.log")) {
            Path file = checkout.resolve(".local/logs").resolve(log);
            if (Files.isRegularFile(file)) {
                String text = Files.readString(file);
                assertThat("no admin password in " + log, text, not(containsString(password)));
                assertThat("no JWT in " + log, text, not(containsString("eyJ")));
            }
        }
    }

    private Map<String, String> environment() {
        Map<String, String> env = new HashMap<>(System.getenv());
        // A developer's or CI's settings for Keycloak, the bridge or kc.sh must not change what is tested.
        env.keySet().removeIf(name -> name.startsWith("KC_") || name.startsWith("QUARKUS_") || name.startsWith("JAVA_OPTS")
                || name.startsWith("MACHINE_OIDC_") || name.startsWith("ISSUER_") || name.equals("FLY_API_SOCKET")
                || name.equals("AWS_ROLE_ARN"));
        env.put("KC_PORT", Integer.toString(httpPort));
        // Not the default admin/admin: a password that appears nowhere else, so the test can tell it is never printed.
        env.put("KC_BOOTSTRAP_ADMIN_PASSWORD", "e2e-" + java.util.UUID.randomUUID());
        env.put("KC_MANAGEMENT_PORT", Integer.toString(managementPort));
        // The Maven running this test, with its local repository: run-local.sh's build needs no download then.
        String mavenHome = System.getProperty("e2e.maven.home", "");
        if (!mavenHome.isBlank() && Files.isExecutable(Path.of(mavenHome, "bin", "mvn"))) {
            env.put("PATH", Path.of(mavenHome, "bin") + File.pathSeparator + env.getOrDefault("PATH", "/usr/bin:/bin"));
        }
        String repoLocal = System.getProperty("e2e.maven.repo.local", "");
        if (!repoLocal.isBlank()) {
            env.put("MAVEN_OPTS", (env.getOrDefault("MAVEN_OPTS", "") + " -Dmaven.repo.local=" + repoLocal).trim());
        }
        return env;
    }

    private static int[] freePorts() throws IOException {
        try (ServerSocket first = new ServerSocket(0, 1, InetAddress.getLoopbackAddress());
             ServerSocket second = new ServerSocket(0, 1, InetAddress.getLoopbackAddress());
             ServerSocket third = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return new int[] {first.getLocalPort(), second.getLocalPort(), third.getLocalPort()};
        }
    }

    private static boolean canBind(int port) {
        try (ServerSocket socket = new ServerSocket()) {
            socket.setReuseAddress(true);
            socket.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), port));
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    private static List<String> describe(List<ProcessHandle> processes) {
        List<String> text = new ArrayList<>();
        for (ProcessHandle p : processes) {
            text.add(p.pid() + " " + p.info().commandLine().orElse("?"));
        }
        return text;
    }

    private static long secondsSince(Instant start) {
        return Duration.between(start, Instant.now()).toSeconds();
    }

    private static void log(String message) {
        System.out.println("[e2e] " + message);
    }
}
