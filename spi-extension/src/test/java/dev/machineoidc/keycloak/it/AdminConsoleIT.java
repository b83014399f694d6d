package dev.machineoidc.keycloak.it;

import com.fasterxml.jackson.databind.JsonNode;
import dev.machineoidc.keycloak.it.support.OrgAdmin;
import dev.machineoidc.keycloak.it.support.TestMachine;
import dev.machineoidc.testing.Browser;
import dev.machineoidc.testing.PerTestBrowser;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.openqa.selenium.By;
import org.openqa.selenium.Keys;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.support.ui.ExpectedConditions;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.UUID;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.greaterThan;
import static org.hamcrest.Matchers.is;

/**
 * An org admin in real headless Chromium: signs in to the org's own admin console through the org login theme, changes
 * the token lifetime on Realm settings → Machine identity, and the next machine token lives exactly that long.
 * Screenshots of each step land in {@code target/screenshots/}.
 */
class AdminConsoleIT extends ProviderDeployment {

    private static final By ORG_NAME = By.id("machine-oidc-org");
    private static final By REALM_SETTINGS = By.cssSelector("[data-testid='nav-item-realm-settings']");
    private static final By MACHINE_IDENTITY_TAB = By.cssSelector("a[href$='/realm-settings/machine-identity']");
    private static final By ISSUER = By.cssSelector("input[data-testid='issuer']");
    private static final By ISSUER_HELP = By.cssSelector("button[data-testid='help-label-config.issuer']");
    private static final By POPOVER = By.cssSelector(".pf-v5-c-popover");
    private static final By TOKEN_LIFETIME = By.cssSelector("input[data-testid='token_lifetime']");
    private static final By SUBJECT_TEMPLATE = By.cssSelector("input[data-testid='subject_template']");
    private static final By DEFAULT_AUDIENCE = By.cssSelector("input[data-testid='default_audience']");
    private static final By APPS_AND_MACHINES = By.cssSelector("input[data-testid='apps_and_machines']");
    private static final By SAVE = By.cssSelector("[data-testid='save']");
    private static final By ALERT = By.cssSelector(".pf-v5-c-alert__title");
    private static final By ALERT_CLOSE = By.cssSelector(".pf-v5-c-alert__action button");

    @RegisterExtension
    final PerTestBrowser chromium = new PerTestBrowser();

    private Browser browser;

    @BeforeEach
    void useBrowser() {
        browser = chromium.browser();
    }

    @Test
    void orgAdminSetsTheTokenLifetimeInTheConsoleAndTheNextTokenCarriesIt() throws Exception {
        String org = "console-" + UUID.randomUUID().toString().substring(0, 8);
        TestMachine machine = keycloak.provision(admin, org, "web", "worker");
        OrgAdmin alice = OrgAdmin.create(keycloak, admin, org, "alice", "realm-admin");
        String issuer = keycloak.baseUrl() + "/realms/" + org;
        assertThat("new orgs select the org login theme",
                http.get(keycloak.admin(org, ""), admin).json().get("loginTheme").asText(), is("machine-oidc"));

        // The org's own console sends its admins to the org realm's sign-in page, in the org login theme.
        browser.open(keycloak.baseUrl() + "/admin/" + org + "/console/");
        assertThat(browser.visible(ORG_NAME).getText(), is(org));
        assertThat(browser.visible(By.id("kc-header-wrapper")).getText(), is("MACHINE OIDC"));
        assertThat(browser.driver().findElements(By.cssSelector("link[href*='/login/machine-oidc/css/machine-oidc.css']")).size(), is(1));
        assertScreenshot("01-org-login-theme");

        signInAndOpenTheTab(alice);
        assertThat(browser.visible(TOKEN_LIFETIME).getDomProperty("value"), is("600"));
        assertThat("the link to the org's Apps and machines view", browser.visible(APPS_AND_MACHINES).getDomProperty("value"),
                is(issuer + "/machine-oidc/console/"));
        assertScreenshot("02-machine-identity-tab");
        browser.click(ISSUER_HELP);
        browser.await("the issuer's note", ExpectedConditions.textToBePresentInElementLocated(POPOVER,
                "It cannot be changed here: a value typed into this field is ignored on save"));
        browser.await("the note faded in", driver -> "1".equals(driver.findElement(POPOVER).getCssValue("opacity")));
        assertScreenshot("02b-issuer-is-read-only");
        browser.click(ISSUER_HELP);
        browser.await("the note to close", ExpectedConditions.invisibilityOfElementLocated(POPOVER));

        type(TOKEN_LIFETIME, "30");
        browser.click(SAVE);
        browser.await("the refusal of 30 seconds", ExpectedConditions.textToBePresentInElementLocated(ALERT,
                "the token lifetime must be 60-86400 seconds"));
        assertScreenshot("03-token-lifetime-refused");
        assertThat(tokenLifetime(org), is(600));

        browser.click(ALERT_CLOSE);
        browser.await("the refusal to be dismissed", ExpectedConditions.invisibilityOfElementLocated(ALERT));

        type(TOKEN_LIFETIME, "1234");
        browser.click(SAVE);
        browser.await("the save to succeed", ExpectedConditions.textToBePresentInElementLocated(ALERT, "Saved successfully"));
        assertScreenshot("04-token-lifetime-saved");
        assertThat(tokenLifetime(org), is(1234));
        browser.driver().navigate().refresh();
        browser.await("the saved lifetime after a reload", ExpectedConditions.attributeToBe(TOKEN_LIFETIME, "value", "1234"));

        Map<String, Object> claims = TestMachine.claims(machine.enroll().signAssertion().mint("{\"aud\":\"sts.amazonaws.com\"}"));
        assertThat(((Number) claims.get("exp")).longValue() - ((Number) claims.get("iat")).longValue(), is(1234L));
        assertThat(claims.get("iss"), is(issuer));
    }

    /** Braces typed into the console reach the org's settings, and a refusal that quotes them shows them intact. */
    @Test
    void orgAdminSetsTheSubjectTemplateAndDefaultAudienceInTheConsole() throws Exception {
        String org = "console-" + UUID.randomUUID().toString().substring(0, 8);
        TestMachine machine = keycloak.provision(admin, org, "web", "worker");
        OrgAdmin alice = OrgAdmin.create(keycloak, admin, org, "alice", "realm-admin");
        browser.open(keycloak.baseUrl() + "/admin/" + org + "/console/");
        signInAndOpenTheTab(alice);
        assertThat(browser.visible(SUBJECT_TEMPLATE).getDomProperty("value"), is("{org}:{app}:{machine}"));
        assertThat("blank: the issuer", browser.visible(DEFAULT_AUDIENCE).getDomProperty("value"), is(""));

        type(SUBJECT_TEMPLATE, "{org}:{machine");
        browser.click(SAVE);
        browser.await("the refusal of unbalanced braces", ExpectedConditions.textToBePresentInElementLocated(ALERT,
                "the subject template has unbalanced braces: the '{' at character 7 is not closed"));
        assertScreenshot("05-subject-template-refused");
        browser.click(ALERT_CLOSE);
        browser.await("the refusal to be dismissed", ExpectedConditions.invisibilityOfElementLocated(ALERT));

        type(SUBJECT_TEMPLATE, "{org_id}:{app_id}:{machine_id}");
        type(DEFAULT_AUDIENCE, "https://fly.io/" + org);
        browser.click(SAVE);
        browser.await("the save to succeed", ExpectedConditions.textToBePresentInElementLocated(ALERT, "Saved successfully"));
        assertScreenshot("06-subject-template-saved");
        JsonNode settings = http.get(keycloak.admin(org, "/machine-oidc/settings"), admin).json();
        assertThat(settings.get("subject_template").asText(), is("{org_id}:{app_id}:{machine_id}"));
        assertThat(settings.get("default_audience").asText(), is("https://fly.io/" + org));

        TestMachine enrolled = machine.enroll().signAssertion();
        Map<String, Object> claims = TestMachine.claims(enrolled.mint(""));
        assertThat(claims.get("sub"), is(claims.get("org_id") + ":" + claims.get("app_id") + ":" + machine.machineId()));
        assertThat(claims.get("aud"), is("https://fly.io/" + org));

        browser.click(ALERT_CLOSE);
        browser.await("the confirmation to be dismissed", ExpectedConditions.invisibilityOfElementLocated(ALERT));
        type(DEFAULT_AUDIENCE, "");
        browser.click(SAVE);
        browser.await("the save to succeed", ExpectedConditions.textToBePresentInElementLocated(ALERT, "Saved successfully"));
        assertThat("an emptied default audience is the issuer again", TestMachine.claims(enrolled.mint("")).get("aud"),
                is(keycloak.baseUrl() + "/realms/" + org));
    }

    private void signInAndOpenTheTab(OrgAdmin orgAdmin) {
        browser.visible(By.id("username")).sendKeys(orgAdmin.username());
        browser.visible(By.id("password")).sendKeys(orgAdmin.password());
        browser.click(By.id("kc-login"));

        browser.click(REALM_SETTINGS);
        browser.click(MACHINE_IDENTITY_TAB);
        browser.await("the issuer shown in the tab",
                ExpectedConditions.attributeToBe(ISSUER, "value", keycloak.baseUrl() + "/realms/" + orgAdmin.org()));
    }

    /** Replaces a field's text the way a user does (select all, type), so React sees the change. */
    private void type(By field, String text) {
        WebElement input = browser.clickable(field);
        input.sendKeys(Keys.chord(Keys.CONTROL, "a"), text.isEmpty() ? Keys.DELETE : text);
        assertThat(input.getDomProperty("value"), is(text));
    }

    private int tokenLifetime(String org) {
        return http.get(keycloak.admin(org, "/machine-oidc/settings"), admin).json().get("token_lifetime").asInt();
    }

    private void assertScreenshot(String name) throws Exception {
        Path png = browser.screenshot(name);
        assertThat(png + " is a picture", Files.size(png), greaterThan(10_000L));
    }
}
