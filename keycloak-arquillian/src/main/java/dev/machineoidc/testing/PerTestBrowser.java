package dev.machineoidc.testing;

import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.AfterTestExecutionCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * A fresh {@link Browser} for each test ({@code @RegisterExtension}), closed after it; when the test fails, what the
 * browser showed is saved first ({@code target/screenshots/failed-<test>.png} and {@code .html}).
 */
public final class PerTestBrowser implements BeforeEachCallback, AfterTestExecutionCallback, AfterEachCallback {

    private Browser browser;

    public Browser browser() {
        if (browser == null) {
            throw new IllegalStateException("no browser outside a test");
        }
        return browser;
    }

    @Override
    public void beforeEach(ExtensionContext context) throws Exception {
        browser = Browser.start();
    }

    @Override
    public void afterTestExecution(ExtensionContext context) {
        if (context.getExecutionException().isPresent() && browser != null) {
            browser.saveEvidence("failed-" + context.getRequiredTestMethod().getName());
        }
    }

    @Override
    public void afterEach(ExtensionContext context) {
        if (browser != null) {
            try {
                browser.close();
            } finally {
                browser = null;
            }
        }
    }
}
