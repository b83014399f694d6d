package dev.machineoidc.bridge.it;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.endsWith;
import static org.hamcrest.Matchers.greaterThan;
import static org.hamcrest.Matchers.is;
import static org.hamcrest.Matchers.matchesPattern;
import static org.hamcrest.Matchers.not;
import static org.hamcrest.Matchers.startsWith;

import com.fasterxml.jackson.databind.JsonNode;
import dev.machineoidc.arquillian.JsonResponse;
import dev.machineoidc.bridge.testing.Await;
import dev.machineoidc.testing.Browser;
import dev.machineoidc.testing.PerTestBrowser;
import dev.machineoidc.testing.ContractClaims;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.openqa.selenium.By;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.Keys;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.Select;

/**
 * The org's Apps and machines view ({@code /realms/<org>/machine-oidc/console/}) in real headless Chromium against the
 * suite's Keycloak: an org admin signs in through Keycloak's login, adds an app and a machine, copies the bridge
 * command the page shows and runs it (the real launcher, the real bridge), mints through the bridge's socket, deploys
 * an update and revokes the machine in the page, and the socket's next answers follow. An admin of another org sees
 * none of it. Screenshots of each step land in {@code target/screenshots/}.
 */
class AppsAndMachinesViewIT extends WithKeycloak {

    private static final String IMAGE_DIGEST_2 = "sha256:" + "3".repeat(64);

    private static final By VIEW = By.id("view");
    private static final By USER = By.id("user");
    private static final By ERROR = By.id("error");
    private static final By NOTICE = By.id("notice");
    private static final By APPS = By.cssSelector("#apps tbody");
    private static final By ENROLLMENT = By.id("enrollment");
    private static final By BRIDGE_COMMAND = By.id("bridge-command");
    private static final By COMPOSE = By.id("compose-snippet");
    private static final By PAGE_INFO = By.id("page-info");

    @RegisterExtension
    final PerTestBrowser chromium = new PerTestBrowser();

    @Test
    void orgAdminAddsAMachineStartsItsBridgeDeploysAndRevokesInThePage() throws Exception {
        String org = newOrg("view");
        OrgUser alice = OrgUser.create(server, org, "alice", Optional.of("realm-admin"));

        // Without the trailing slash the page redirects to itself with one, then to Keycloak's login of the org.
        browser().open(server.baseUrl() + "/realms/" + org + "/machine-oidc/console");
        signIn(alice);
        assertThat(browser().visible(USER).getText(), is("Signed in to " + org + " as alice"));
        assertThat(browser().driver().getCurrentUrl(), endsWith("/realms/" + org + "/machine-oidc/console/"));
        assertThat(browser().visible(APPS).getText(), is("No apps yet."));
        assertThat(browser().visible(By.id("clients-note")).getText(), containsString("machine:<name>@<app>"));
        screenshot("01-signed-in");

        type(By.id("app-name"), "Not_A_Name");
        browser().click(By.cssSelector("#add-app button"));
        awaitText(ERROR, "POST /apps: 400: invalid_name: The app name must match [a-z0-9][a-z0-9-]{0,62}.");
        screenshot("02-api-error-shown");

        type(By.id("app-name"), "web");
        browser().click(By.cssSelector("#add-app button"));
        awaitText(NOTICE, "App web added.");
        assertThat("the last error cleared by the next action", browser().driver().findElement(ERROR).isDisplayed(), is(false));
        assertThat(cell(appRow("web"), "count"), is("0"));

        type(By.id("machine-name"), "worker-1");
        type(By.id("machine-region"), Provisioner.REGION);
        type(By.id("machine-image"), Provisioner.IMAGE);
        type(By.id("machine-digest"), Provisioner.IMAGE_DIGEST);
        browser().click(By.cssSelector("#add-machine button"));
        browser().visible(ENROLLMENT);
        WebElement row = browser().visible(machineRow("worker-1"));
        String machineId = row.getAttribute("data-machine-id");
        String firstVersion = cell(row, "version");
        assertThat(machineId, matchesPattern("[0-9a-f]{14}"));
        assertThat(cell(row, "enrolled"), is("no"));
        assertThat(cell(row, "enabled"), is("yes"));
        assertThat(cell(row, "region"), is(Provisioner.REGION));
        assertThat(cell(row, "created"), matchesPattern("\\d{4}-\\d\\d-\\d\\dT.*Z"));
        assertThat(cell(appRow("web"), "count"), is("1"));
        assertThat(browser().visible(By.id("enrollment-expiry")).getText(), matchesPattern("\\d{4}-\\d\\d-\\d\\dT.*Z .*"));
        assertThat(browser().visible(COMPOSE).getText(), containsString("MACHINE_OIDC_MACHINE_ID: \"" + machineId + "\""));
        assertThat(browser().visible(By.id("compose-command")).getText(),
                startsWith("MACHINE_OIDC_ENROLLMENT_TOKEN=" + browser().visible(By.id("enrollment-token")).getText() + " "));

        // Where this test may put the bridge's state and socket (a socket path must be short).
        Path work = Files.createDirectories(Path.of(System.getProperty("project.build.directory", "target"),
                "view-it", org).toAbsolutePath());
        Path socketDir = Files.createTempDirectory("view-it-");
        Files.setPosixFilePermissions(socketDir, PosixFilePermissions.fromString("rwx------"));
        Path socket = socketDir.resolve("api");
        type(By.id("bridge-state-dir"), work.resolve("state").toString());
        type(By.id("bridge-socket"), socket.toString());
        String command = copyFromPage("copy-command", BRIDGE_COMMAND);
        assertThat(command, is("MACHINE_OIDC_ENROLLMENT_TOKEN=" + browser().visible(By.id("enrollment-token")).getText()
                + " bridge/bin/machine-oidc-bridge \\\n  --keycloak-url " + server.baseUrl() + " --org " + org
                + " --machine-id " + machineId + " \\\n  --state-dir " + work.resolve("state") + " --socket-path " + socket));
        screenshot("03-machine-added-bridge-command");

        try (PastedCommand bridge = PastedCommand.start(command, work.resolve("bridge.log"))) {
            JsonNode first = ContractClaims.payload(mintOnceUp(bridge, socket));
            assertThat(first.get("machine_id").asText(), is(machineId));
            assertThat(first.get("machine_version").asText(), is(firstVersion));
            assertThat(first.get("image").asText(), is(Provisioner.IMAGE));

            browser().click(By.id("close-enrollment"));
            browser().await("the token forgotten", ExpectedConditions.invisibilityOfElementLocated(ENROLLMENT));
            assertThat(browser().driver().findElement(By.id("enrollment-token")).getAttribute("textContent"), is(""));
            browser().click(By.cssSelector("#filter button"));
            browser().await("the machine shown enrolled", driver -> "yes".equals(cell(driver.findElement(machineRow("worker-1")), "enrolled")));

            browser().click(machineButton("worker-1", "deploy"));
            type(By.id("deploy-image"), "registry.example.com/acme/worker:2.0.0");
            type(By.id("deploy-digest"), IMAGE_DIGEST_2);
            type(By.id("deploy-region"), "ams");
            screenshot("04-deploy-update");
            browser().click(By.cssSelector("#deploy-form button[type='submit']"));
            awaitText(NOTICE, "Deployed worker-1: machine_version " + firstVersion + " → ");
            String secondVersion = cell(browser().visible(machineRow("worker-1")), "version");
            assertThat(secondVersion, not(firstVersion));
            assertThat(browser().visible(NOTICE).getText(), endsWith(" → " + secondVersion + "."));
            assertThat(cell(browser().visible(machineRow("worker-1")), "region"), is("ams"));
            screenshot("05-deployed");

            JsonNode second = ContractClaims.payload(mint(socket, 200));
            assertThat("the next token carries the deploy", second.get("machine_version").asText(), is(secondVersion));
            assertThat(second.get("image").asText(), is("registry.example.com/acme/worker:2.0.0"));
            assertThat(second.get("image_digest").asText(), is(IMAGE_DIGEST_2));
            assertThat(second.get("region").asText(), is("ams"));

            browser().click(machineButton("worker-1", "revoke"));
            awaitText(By.id("revoke-machine"), "worker-1 (" + machineId + ") of web");
            screenshot("06-revoke-confirmation");
            assertThat("nothing revoked before the confirmation", mint(socket, 200), matchesPattern(ContractToken.JWT));
            browser().click(By.id("confirm-revoke"));
            awaitText(NOTICE, "Machine worker-1 (" + machineId + ") revoked.");
            assertThat(browser().driver().findElements(machineRow("worker-1")).size(), is(0));
            assertThat(cell(appRow("web"), "count"), is("0"));
            screenshot("07-revoked");

            assertThat(mint(socket, 403), containsString("machine"));
        } finally {
            Files.deleteIfExists(socket);
            Files.deleteIfExists(socketDir);
        }

        browser().click(By.cssSelector("tr[data-app='web'] button.delete-app"));
        awaitText(NOTICE, "App web deleted.");
        assertThat(browser().visible(APPS).getText(), is("No apps yet."));
    }

    /** Filter by app and name prefix, and paging, over machines made through the API. */
    @Test
    void thePagePagesAndFiltersMachines() throws Exception {
        String org = newOrg("view-pages");
        OrgUser alice = OrgUser.create(server, org, "alice", Optional.of("view-clients"));
        for (String app : List.of("big", "small")) {
            expect(201, server.admin().post("/admin/realms/" + org + "/machine-oidc/apps", Map.of("name", app)));
        }
        for (int i = 0; i < 25; i++) {
            addMachine(org, "big", String.format("batch-%02d", i));
        }
        addMachine(org, "big", "other");
        addMachine(org, "small", "lonely");

        browser().open(server.baseUrl() + "/realms/" + org + "/machine-oidc/console/");
        signIn(alice);
        assertThat(cell(appRow("big"), "count"), is("26"));
        assertThat(cell(appRow("small"), "count"), is("1"));

        new Select(browser().visible(By.id("page-size"))).selectByVisibleText("10");
        type(By.id("filter-name"), "batch-");
        browser().click(By.cssSelector("#filter button"));
        awaitText(PAGE_INFO, "1–10");
        assertThat(machineNames(), is(List.of("batch-00", "batch-01", "batch-02", "batch-03", "batch-04", "batch-05",
                "batch-06", "batch-07", "batch-08", "batch-09")));
        browser().click(By.id("next-page"));
        awaitText(PAGE_INFO, "11–20");
        browser().click(By.id("next-page"));
        awaitText(PAGE_INFO, "21–25 (last page)");
        assertThat(machineNames(), is(List.of("batch-20", "batch-21", "batch-22", "batch-23", "batch-24")));
        assertThat(browser().visible(By.id("next-page")).isEnabled(), is(false));
        screenshot("10-paged");

        type(By.id("filter-name"), "batch-1");
        browser().click(By.cssSelector("#filter button"));
        awaitText(PAGE_INFO, "1–10 (last page)");
        assertThat(machineNames().get(0), is("batch-10"));

        new Select(browser().visible(By.id("filter-app"))).selectByVisibleText("small");
        type(By.id("filter-name"), "");
        browser().click(By.cssSelector("#filter button"));
        awaitText(PAGE_INFO, "1–1 (last page)");
        assertThat(machineNames(), is(List.of("lonely")));

        // A viewer may look, not change: the API's refusal is shown in the page.
        browser().click(machineButton("lonely", "enroll"));
        awaitText(ERROR, ": 403: forbidden: You are not allowed to manage this org's apps and machines.");
        screenshot("11-viewer-refused");
    }

    @Test
    void anAdminOfAnotherOrgSeesNoneOfIt() throws Exception {
        Machine theirs = new Provisioner(server).newOrgWithMachine("view-theirs");
        String ownOrg = newOrg("view-own");
        OrgUser bob = OrgUser.create(server, ownOrg, "bob", Optional.of("realm-admin"));

        browser().open(server.baseUrl() + "/realms/" + ownOrg + "/machine-oidc/console/");
        signIn(bob);
        assertThat(browser().visible(APPS).getText(), is("No apps yet."));
        assertThat(browser().driver().getPageSource(), not(containsString(theirs.app())));
        screenshot("20-other-org-own-view");

        String token = bob.accessToken(server);
        String api = "/admin/realms/" + theirs.org() + "/machine-oidc/apps";
        String machine = api + "/" + theirs.app() + "/machines/" + theirs.id();
        assertRefused(token, "GET", api, null);
        assertRefused(token, "GET", api + "/" + theirs.app() + "/machines", null);
        assertRefused(token, "POST", api, "{\"name\":\"intruder\"}");
        assertRefused(token, "PUT", machine, "{\"region\":\"ams\"}");
        assertRefused(token, "POST", machine + "/enrollment", "{}");
        assertRefused(token, "DELETE", machine, null);
        JsonNode unchanged = expect(200, server.admin().get(machine)).json();
        assertThat(unchanged.get("machine_version").asText(), is(theirs.version()));

        // Their org's page signs in only their org's users.
        browser().open(server.baseUrl() + "/realms/" + theirs.org() + "/machine-oidc/console/");
        browser().visible(By.id("username")).sendKeys(bob.username());
        browser().visible(By.id("password")).sendKeys(bob.password());
        browser().click(By.id("kc-login"));
        browser().await("the login's refusal", ExpectedConditions.textToBePresentInElementLocated(By.tagName("body"),
                "Invalid username or password."));
        screenshot("21-other-org-login-refused");

        // A user of their org without admin roles gets in, and the page shows the API's refusal.
        OrgUser eve = OrgUser.create(server, theirs.org(), "eve", Optional.empty());
        type(By.id("username"), eve.username());
        browser().visible(By.id("password")).sendKeys(eve.password());
        browser().click(By.id("kc-login"));
        awaitText(ERROR, "GET /apps: 403: forbidden: You are not allowed to view this org's apps and machines.");
        assertThat(browser().driver().getPageSource(), not(containsString(theirs.id())));
        screenshot("22-no-admin-role-refused");
    }

    private String newOrg(String prefix) throws Exception {
        String org = prefix + "-" + UUID.randomUUID().toString().substring(0, 8);
        expect(201, server.admin().post("/admin/realms/master/machine-oidc/orgs", Map.of("name", org)));
        return org;
    }

    private void addMachine(String org, String app, String name) throws Exception {
        expect(201, server.admin().post("/admin/realms/" + org + "/machine-oidc/apps/" + app + "/machines", Map.of(
                "name", name, "region", Provisioner.REGION, "image", Provisioner.IMAGE,
                "image_digest", Provisioner.IMAGE_DIGEST)));
    }

    private void assertRefused(String token, String method, String path, String json) throws Exception {
        HttpResponse<String> answer = OrgUser.call(server, token, method, path, json);
        assertThat(method + " " + path + ": " + answer.body(), answer.statusCode(), is(403));
    }

    /** Keycloak's login form of the org, then back on the page, signed in. */
    private void signIn(OrgUser user) {
        browser().visible(By.id("username")).sendKeys(user.username());
        browser().visible(By.id("password")).sendKeys(user.password());
        browser().click(By.id("kc-login"));
        browser().visible(VIEW);
        browser().await("the page's first listing", ExpectedConditions.presenceOfNestedElementLocatedBy(APPS, By.tagName("tr")));
    }

    /**
     * Clicks the page's copy button and reads the clipboard back, as pasting would; it must hold what the page shows.
     */
    private String copyFromPage(String button, By shown) {
        // WebDriver's permission command does not open the clipboard to reading; Chromium's own does.
        ((ChromeDriver) browser().driver()).executeCdpCommand("Browser.grantPermissions", Map.of(
                "origin", server.baseUrl().toString(), "permissions", List.of("clipboardReadWrite", "clipboardSanitizedWrite")));
        browser().click(By.id(button));
        awaitText(NOTICE, "Copied to the clipboard.");
        Object pasted = ((JavascriptExecutor) browser().driver()).executeAsyncScript(
                "const done = arguments[arguments.length - 1];"
                        + "navigator.clipboard.readText().then(done, (e) => done('clipboard refused: ' + e));");
        assertThat(pasted, is(browser().visible(shown).getAttribute("textContent")));
        return (String) pasted;
    }

    /** The first token through the socket of a bridge that is starting (a JVM, then its enrollment). */
    private static String mintOnceUp(PastedCommand bridge, Path socket) {
        AtomicReference<String> token = new AtomicReference<>();
        Await.until(Duration.ofSeconds(90), Duration.ofMillis(250), () -> {
            if (!bridge.isAlive()) {
                throw new AssertionError("the bridge exited: " + bridge.log());
            }
            if (!Files.exists(socket)) {
                return false;
            }
            Curl.Result result = post(socket);
            if (result.exitCode() == 0 && result.status() == 200) {
                token.set(result.body());
                return true;
            }
            return false;
        }, "a token through the socket of the bridge started with the page's command");
        return token.get();
    }

    /** {@code POST /v1/tokens/oidc} through the socket with curl, expecting {@code status}; the body. */
    private static String mint(Path socket, int status) {
        Curl.Result result = post(socket);
        assertThat(result.stderr(), result.exitCode(), is(0));
        assertThat(result.body(), result.status(), is(status));
        return result.body();
    }

    private static Curl.Result post(Path socket) {
        try {
            return Curl.postWithStatus(socket, "{\"aud\":\"sts.amazonaws.com\"}", List.of());
        } catch (Exception e) {
            throw new AssertionError(e);
        }
    }

    private List<String> machineNames() {
        return browser().driver().findElements(By.cssSelector("#machines tbody tr[data-machine-name]")).stream()
                .map(row -> row.getAttribute("data-machine-name")).toList();
    }

    private static By appRow(String app) {
        return By.cssSelector("#apps tr[data-app='" + app + "']");
    }

    private static By machineRow(String name) {
        return By.cssSelector("#machines tr[data-machine-name='" + name + "']");
    }

    private static By machineButton(String name, String action) {
        return By.cssSelector("#machines tr[data-machine-name='" + name + "'] button." + action);
    }

    private String cell(By row, String column) {
        return cell(browser().visible(row), column);
    }

    private static String cell(WebElement row, String column) {
        return row.findElement(By.cssSelector("td." + column)).getText();
    }

    private void awaitText(By element, String text) {
        browser().await("'" + text + "' in " + element, ExpectedConditions.textToBePresentInElementLocated(element, text));
    }

    /** Replaces a field's text the way a user does (select all, type). */
    private void type(By field, String text) {
        WebElement input = browser().clickable(field);
        input.sendKeys(Keys.chord(Keys.CONTROL, "a"), text.isEmpty() ? Keys.DELETE : text);
        assertThat(input.getDomProperty("value"), is(text));
    }

    private void screenshot(String name) throws Exception {
        Path png = browser().screenshot(name);
        assertThat(png + " is a picture", Files.size(png), greaterThan(10_000L));
    }

    private Browser browser() {
        return chromium.browser();
    }

    private static JsonResponse expect(int status, JsonResponse response) {
        assertThat(response.toString(), response.status(), is(status));
        return response;
    }
}
