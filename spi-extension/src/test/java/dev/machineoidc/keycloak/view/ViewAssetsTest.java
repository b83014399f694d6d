package dev.machineoidc.keycloak.view;

import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.empty;
import static org.hamcrest.Matchers.is;
import static org.hamcrest.Matchers.not;

class ViewAssetsTest {

    @Test
    void servesItsThreeFilesWithTheirTypes() {
        assertThat(ViewAssets.find("index.html").orElseThrow().contentType(), is("text/html; charset=utf-8"));
        assertThat(ViewAssets.find("view.js").orElseThrow().contentType(), is("text/javascript; charset=utf-8"));
        assertThat(ViewAssets.find("view.css").orElseThrow().contentType(), is("text/css; charset=utf-8"));
    }

    @Test
    void anyOtherNameIsNothing() {
        for (String name : List.of("", "INDEX.HTML", "../index.html", "/view.js", "view.js/", "ViewAssets.class",
                "../../META-INF/MANIFEST.MF", "view.js.map")) {
            assertThat(name, ViewAssets.find(name).isPresent(), is(false));
        }
    }

    /** What the Content-Security-Policy would block must not be needed: no inline script, handler or style. */
    @Test
    void thePageNeedsNothingThePolicyForbids() {
        String html = text("index.html");
        assertThat(matches(html, "<script(?![^>]*\\bsrc=\"view\\.js\")[^>]*>"), is(empty()));
        assertThat(matches(html, "\\son[a-z]+\\s*="), is(empty()));
        assertThat(matches(html, "\\sstyle\\s*="), is(empty()));
        assertThat(matches(html, "<style"), is(empty()));
        for (String link : matches(html, "(?:src|href)=\"([^\"]*)\"")) {
            assertThat("a file of the view, from the same origin: " + link, ViewAssets.find(link).isPresent(), is(true));
        }
        assertThat(ViewAssets.CONTENT_SECURITY_POLICY, containsString("script-src 'self';"));
        assertThat(ViewAssets.CONTENT_SECURITY_POLICY, not(containsString("unsafe")));
    }

    /** Nothing from the API is parsed as markup or code, and the tokens never reach storage. */
    @Test
    void theScriptBuildsTextNodesAndKeepsTokensInMemory() {
        String script = text("view.js");
        for (String forbidden : List.of("innerHTML", "outerHTML", "insertAdjacentHTML", "document.write", "eval(",
                "new Function", "localStorage", "setAttribute('style'")) {
            assertThat(forbidden, script, not(containsString(forbidden)));
        }
        assertThat(matches(script, "sessionStorage\\.setItem\\((.*)\\);"), is(List.of("PENDING, JSON.stringify({verifier, state})")));
        assertThat(script, containsString("code_challenge_method: 'S256'"));
        assertThat(script, containsString("const CLIENT_ID = '" + ViewClient.CLIENT_ID + "';"));
    }

    @Test
    void theViewLivesUnderTheOrgsRealm() {
        assertThat(ViewClient.path("acme"), is("/realms/acme/machine-oidc/console/"));
    }

    private static String text(String asset) {
        return new String(ViewAssets.find(asset).orElseThrow().content(), StandardCharsets.UTF_8);
    }

    private static List<String> matches(String text, String regex) {
        Matcher matcher = Pattern.compile(regex).matcher(text);
        List<String> found = new ArrayList<>();
        while (matcher.find()) {
            found.add(matcher.groupCount() > 0 ? matcher.group(1) : matcher.group());
        }
        return found;
    }
}
