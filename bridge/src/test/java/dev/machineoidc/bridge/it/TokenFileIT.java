package dev.machineoidc.bridge.it;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.both;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.empty;
import static org.hamcrest.Matchers.greaterThan;
import static org.hamcrest.Matchers.greaterThanOrEqualTo;
import static org.hamcrest.Matchers.is;
import static org.hamcrest.Matchers.lessThanOrEqualTo;
import static org.hamcrest.Matchers.not;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import dev.machineoidc.bridge.config.BridgeConfig;
import dev.machineoidc.bridge.config.ConfigParser;
import dev.machineoidc.bridge.config.TokenFileSpec;
import dev.machineoidc.bridge.testing.Await;
import dev.machineoidc.bridge.testing.Groups;
import dev.machineoidc.bridge.testing.LogCapture;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.GroupPrincipal;
import java.nio.file.attribute.PosixFileAttributes;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Stream;
import org.eclipse.jetty.client.ContentResponse;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import dev.machineoidc.testing.Discovery;

/**
 * The token file against the real Keycloak, with the org's shortest token lifetime (60 s) so that the refresh at
 * 90 % of the life comes after ~54 s. A reader polls the file as fast as it can the whole time: every read it makes
 * must be a complete token that verifies, which is what the write + rename promises.
 */
@Timeout(180)
class TokenFileIT extends WithKeycloak {

    private static final int LIFETIME = 60;
    private static final String AUDIENCE = "sts.amazonaws.com";
    private static final Duration REFRESH_DEADLINE = Duration.ofSeconds(90);
    private static final ObjectMapper JSON = new ObjectMapper();

    @Test
    void theFileIsReplacedAtomicallyAndRefreshedBeforeExpiry() throws Exception {
        Provisioner provisioner = new Provisioner(server);
        Machine machine = provisioner.newOrgWithMachine("bridge-file");
        assertThat(provisioner.putSettings(machine, Map.of("token_lifetime", LIFETIME)).path("token_lifetime").asInt(),
                is(LIFETIME));
        Path workDir = RunningBridge.newWorkDir(machine);
        Path tokenFile = workDir.resolve("fly/oidc_token");
        Reader reader = new Reader(tokenFile, Discovery.verifier(Discovery.keys(machine.issuer())), machine);
        Thread readerThread = new Thread(reader, "token-file-reader");
        readerThread.setDaemon(true);
        readerThread.start();

        String first;
        String second;
        String everything;
        Object firstInode;
        Object secondInode;
        try (LogCapture log = LogCapture.start();
             RunningBridge bridge = RunningBridge.start(server.baseUrl(), machine, workDir, workDir.resolve("state"),
                     options -> options.tokenFile(TokenFileSpec.of(tokenFile, "sts.amazonaws.com")))) {
            Await.until(Duration.ofSeconds(30), () -> Files.exists(tokenFile), "the first token file");
            first = Files.readString(tokenFile, StandardCharsets.US_ASCII);
            assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(tokenFile)), is("rw-------"));
            ContractToken.assertValid(first, machine, AUDIENCE, LIFETIME);
            firstInode = Files.getAttribute(tokenFile, "unix:ino");

            String firstJti = ContractToken.jti(first);
            Await.until(REFRESH_DEADLINE, () -> !reader.problems().isEmpty() || reader.jtis().size() > 1,
                    "the refreshed token file");
            assertThat("every read of the reader was a complete token", reader.problems(), is(empty()));
            second = read(tokenFile);
            secondInode = Files.getAttribute(tokenFile, "unix:ino");
            assertThat(ContractToken.jti(second), not(firstJti));
            everything = log.text();
        } finally {
            reader.stop();
            readerThread.join(Duration.ofSeconds(10).toMillis());
        }

        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(tokenFile)), is("rw-------"));
        JWTClaimsSet before = SignedJWT.parse(first).getJWTClaimsSet();
        JWTClaimsSet after = ContractToken.assertValid(second, machine, AUDIENCE, LIFETIME);
        long refreshedAfter = (after.getIssueTime().getTime() - before.getIssueTime().getTime()) / 1000;
        assertThat("refreshed at ~90 % of a " + LIFETIME + " s life, before the old token expired", refreshedAfter,
                is(both(greaterThanOrEqualTo(50L)).and(lessThanOrEqualTo(58L))));
        assertThat("replaced by a rename (a new inode), not rewritten in place", secondInode, not(firstInode));
        assertThat(reader.problems(), is(empty()));
        assertThat("the reader really raced the writer", reader.reads(), greaterThan(10_000L));
        assertThat("the reader saw the old token, then the new one", new ArrayList<>(reader.jtis()),
                is(List.of(ContractToken.jti(first), ContractToken.jti(second))));
        try (Stream<Path> files = Files.list(tokenFile.getParent())) {
            assertThat("no temp file left beside the token", files.map(p -> p.getFileName().toString()).toList(),
                    is(List.of("oidc_token")));
        }
        assertThat(everything, containsString("Token file " + tokenFile + " refreshed"));
        assertThat(everything, not(containsString(first)));
        assertThat(everything, not(containsString(second)));
        assertThat(everything, not(containsString("eyJ")));
    }

    /**
     * Every kind at once, configured as a deployment would (flags and environment through the real parser): AWS and
     * Azure from their SDKs' variables (AWS's file moved by the older single-path variable, so that no test writes to
     * /.fly), GCP from its options, and a spec for another user's workload (mode 0640 and a group) in the variable.
     */
    @Test
    void everyConsumerGetsItsOwnFileWithItsAudienceModeAndGroup() throws Exception {
        Machine machine = new Provisioner(server).newOrgWithMachine("bridge-files");
        Path workDir = RunningBridge.newWorkDir(machine);
        Path aws = workDir.resolve("aws/oidc_token");
        Path azure = workDir.resolve("azure/token");
        Path gcpDir = workDir.resolve("gcp");
        Path shared = workDir.resolve("shared/vault_token");
        GroupPrincipal group = Groups.giveable();
        String gcpAudience = "//iam.googleapis.com/projects/123456789/locations/global/workloadIdentityPools/fly/"
                + "providers/bridge";
        BridgeConfig parsed = new ConfigParser().parse(List.of(
                        "--keycloak-url", server.baseUrl().toString(), "--org", machine.org(), "--machine-id", machine.id(),
                        "--gcp-audience", gcpAudience, "--gcp-service-account", "app@project.iam.gserviceaccount.com",
                        "--gcp-dir", gcpDir.toString()),
                Map.of("AWS_ROLE_ARN", "arn:aws:iam::123456789012:role/app",
                        "MACHINE_OIDC_TOKEN_FILE", aws.toString(),
                        "MACHINE_OIDC_TOKEN_FILES", "path=" + shared + ",aud=vault,mode=0640,group=" + group.getName(),
                        "AZURE_CLIENT_ID", "11111111-2222-3333-4444-555555555555",
                        "AZURE_TENANT_ID", "66666666-7777-8888-9999-000000000000",
                        "AZURE_FEDERATED_TOKEN_FILE", azure.toString()));
        Path gcpToken = gcpDir.resolve("gcp_token");
        assertThat("every file in the test's own directory", parsed.tokenFiles().stream()
                .map(TokenFileSpec::path).filter(path -> !path.startsWith(workDir)).toList(), is(empty()));
        Map<Path, String> audiences = Map.of(aws, AUDIENCE, azure, "api://AzureADTokenExchange", gcpToken, gcpAudience,
                shared, "vault");

        try (RunningBridge bridge = RunningBridge.start(server.baseUrl(), machine, workDir, workDir.resolve("state"),
                options -> options.tokenFiles(parsed.tokenFiles()).gcp(parsed.gcp().orElseThrow()))) {
            Await.until(Duration.ofSeconds(30), () -> audiences.keySet().stream().allMatch(Files::exists),
                    "all four token files");
            for (Map.Entry<Path, String> file : audiences.entrySet()) {
                ContractToken.assertValid(read(file.getKey()), machine, file.getValue(), ContractToken.DEFAULT_LIFETIME);
            }
            assertAccess(aws, "rw-------", null);
            assertAccess(azure, "rw-------", null);
            assertAccess(gcpToken, "rw-------", null);
            assertAccess(gcpDir.resolve("gcp_credentials.json"), "rw-------", null);
            assertAccess(shared, "rw-r-----", group);

            JsonNode credentials = JSON.readTree(gcpDir.resolve("gcp_credentials.json").toFile());
            assertThat(JSON.writeValueAsString(credentials), is(JSON.writeValueAsString(JSON.readTree("""
                    {"type": "external_account",
                     "audience": "%s",
                     "subject_token_type": "urn:ietf:params:oauth:token-type:jwt",
                     "token_url": "https://sts.googleapis.com/v1/token",
                     "credential_source": {"file": "%s"},
                     "service_account_impersonation_url": "https://iamcredentials.googleapis.com/v1/projects/-/serviceAccounts/app@project.iam.gserviceaccount.com:generateAccessToken"}
                    """.formatted(gcpAudience, gcpToken.toAbsolutePath())))));

            ContentResponse response = bridge.send("GET", "/v1/status", null);
            assertThat(response.getStatus(), is(200));
            Map<String, String> listed = new HashMap<>();
            for (JsonNode file : JSON.readTree(response.getContentAsString()).path("token_files")) {
                listed.put(file.path("path").asText(), file.path("aud").asText());
                assertThat(file.path("written_at").isTextual(), is(true));
                assertThat(Instant.parse(file.path("next_refresh_at").asText()), greaterThan(Instant.now()));
                assertThat(file.path("last_error").isNull(), is(true));
                assertThat(file.path("removed_at").isNull(), is(true));
            }
            Map<String, String> expected = new HashMap<>();
            audiences.forEach((path, aud) -> expected.put(path.toString(), aud));
            assertThat(listed, is(expected));
        }
    }

    private static void assertAccess(Path file, String mode, GroupPrincipal group) throws IOException {
        PosixFileAttributes attributes = Files.readAttributes(file, PosixFileAttributes.class);
        assertThat(file + " mode", PosixFilePermissions.toString(attributes.permissions()), is(mode));
        GroupPrincipal expected = group != null ? group : Files.readAttributes(file.getParent().getParent(),
                PosixFileAttributes.class).group();
        assertThat(file + " group", attributes.group(), is(expected));
    }

    private static String read(Path file) {
        try {
            return Files.readString(file, StandardCharsets.US_ASCII);
        } catch (IOException e) {
            throw new AssertionError("the token file cannot be read: " + e, e);
        }
    }

    /** Reads the file in a tight loop; anything but a complete, verifying token of the machine is a problem. */
    private static final class Reader implements Runnable {

        private final Path file;
        private final Discovery.Verifier verifier;
        private final Machine machine;
        private final AtomicBoolean running = new AtomicBoolean(true);
        private final AtomicLong reads = new AtomicLong();
        private final Set<String> jtis = Collections.synchronizedSet(new LinkedHashSet<>());
        private final List<String> problems = Collections.synchronizedList(new ArrayList<>());

        Reader(Path file, Discovery.Verifier verifier, Machine machine) {
            this.file = file;
            this.verifier = verifier;
            this.machine = machine;
        }

        @Override
        public void run() {
            boolean seen = false;
            String last = null;
            while (running.get() && problems.size() < 10) {
                byte[] content;
                try {
                    content = Files.readAllBytes(file);
                } catch (NoSuchFileException e) {
                    if (seen) {
                        problems.add("the file vanished after it had existed");
                    }
                    continue;
                } catch (IOException e) {
                    problems.add("read failed: " + e);
                    continue;
                }
                seen = true;
                reads.incrementAndGet();
                String token = new String(content, StandardCharsets.US_ASCII);
                if (token.equals(last)) {
                    continue; // verified already
                }
                try {
                    if (token.split("\\.", -1).length != 3) {
                        throw new AssertionError("not three parts");
                    }
                    JWTClaimsSet claims = verifier.verify(token);
                    if (!machine.subject().equals(claims.getSubject()) || !List.of(AUDIENCE).equals(claims.getAudience())) {
                        throw new AssertionError("another machine's or audience's token");
                    }
                    jtis.add(claims.getJWTID());
                    last = token;
                } catch (AssertionError | RuntimeException e) {
                    problems.add("read #" + reads.get() + " (" + content.length + " bytes) is not a complete token: " + e);
                }
            }
        }

        void stop() {
            running.set(false);
        }

        long reads() {
            return reads.get();
        }

        Set<String> jtis() {
            synchronized (jtis) {
                return new LinkedHashSet<>(jtis);
            }
        }

        List<String> problems() {
            synchronized (problems) {
                return new ArrayList<>(problems);
            }
        }
    }
}
