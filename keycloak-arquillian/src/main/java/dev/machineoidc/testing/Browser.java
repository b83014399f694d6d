package dev.machineoidc.testing;

import org.openqa.selenium.By;
import org.openqa.selenium.ElementNotInteractableException;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.StaleElementReferenceException;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.support.ui.ExpectedCondition;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.WebDriverWait;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.Stream;

/**
 * Real headless Chromium over WebDriver: Debian's {@code chromium} and {@code chromedriver} (system properties
 * {@code it.chromium} and {@code it.chromedriver} override the paths), never a downloaded driver or browser, each
 * browser with a fresh profile. Screenshots go to {@code target/screenshots/}.
 */
public final class Browser implements AutoCloseable {

    public static final Duration WAIT = Duration.ofSeconds(30);

    private final ChromeDriverService service;
    private final ChromeDriver driver;
    private final Path profile;
    private final Path screenshots;

    private Browser(ChromeDriverService service, ChromeDriver driver, Path profile, Path screenshots) {
        this.service = service;
        this.driver = driver;
        this.profile = profile;
        this.screenshots = screenshots;
    }

    public static Browser start() throws IOException {
        Path target = Path.of(System.getProperty("project.build.directory", "target"));
        File chromium = installed("it.chromium", "/usr/bin/chromium");
        File chromedriver = installed("it.chromedriver", "/usr/bin/chromedriver");
        // With the driver given, Selenium Manager (which would download one) is never asked.
        System.setProperty(ChromeDriverService.CHROME_DRIVER_EXE_PROPERTY, chromedriver.getPath());
        Files.createDirectories(target);
        Path profile = Files.createTempDirectory(target, "chromium-profile-");
        ChromeOptions options = new ChromeOptions();
        options.setBinary(chromium);
        options.addArguments("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
                "--disable-background-networking", "--disable-component-update", "--disable-sync", "--no-first-run",
                "--user-data-dir=" + profile, "--window-size=1600,1000", "--lang=en-US");
        ChromeDriverService service = new ChromeDriverService.Builder()
                .usingDriverExecutable(chromedriver)
                .usingAnyFreePort()
                .withLogFile(target.resolve("chromedriver.log").toFile())
                .build();
        try {
            ChromeDriver driver = new ChromeDriver(service, options);
            driver.manage().timeouts().pageLoadTimeout(WAIT);
            return new Browser(service, driver, profile, target.resolve("screenshots"));
        } catch (RuntimeException e) {
            service.stop();
            deleteTree(profile);
            throw e;
        }
    }

    public WebDriver driver() {
        return driver;
    }

    public void open(String url) {
        driver.get(url);
    }

    /** Waits up to {@link #WAIT} for the condition, failing with what was awaited. */
    public <T> T await(String what, ExpectedCondition<T> condition) {
        // A page that re-renders replaces the elements a condition found a moment before: look again, don't fail.
        return new WebDriverWait(driver, WAIT).ignoring(StaleElementReferenceException.class).withMessage(what)
                .until(condition);
    }

    public WebElement visible(By locator) {
        return await(locator + " visible", ExpectedConditions.visibilityOfElementLocated(locator));
    }

    public WebElement clickable(By locator) {
        return await(locator + " clickable", ExpectedConditions.elementToBeClickable(locator));
    }

    /**
     * Clicks like a user who first scrolls the element into view: the console's tab bar scrolls sideways, smoothly,
     * with the tabs beyond its edge under its scroll button, so the element is scrolled to the middle at once first.
     */
    public void click(By locator) {
        AtomicReference<String> lastRefusal = new AtomicReference<>("not found");
        new WebDriverWait(driver, WAIT)
                .withMessage(() -> locator + " clicked (last attempt: " + lastRefusal.get() + ")")
                .until(driver -> {
                    List<WebElement> found = driver.findElements(locator);
                    if (found.isEmpty()) {
                        return false;
                    }
                    WebElement element = found.get(0);
                    try {
                        ((JavascriptExecutor) driver).executeScript("arguments[0].scrollIntoView({block: 'center', inline: 'center', behavior: 'instant'})", element);
                        if (!element.isDisplayed() || !element.isEnabled()) {
                            lastRefusal.set("not displayed or not enabled");
                            return false;
                        }
                        element.click();
                        return true;
                    } catch (ElementNotInteractableException | StaleElementReferenceException e) {
                        // Covered while it scrolls, or re-rendered: try again until the deadline.
                        lastRefusal.set(e.getMessage().lines().findFirst().orElse(e.toString()));
                        return false;
                    }
                });
    }

    /** Saves a PNG of the viewport as {@code target/screenshots/<name>.png} and returns its path. */
    public Path screenshot(String name) {
        try {
            Files.createDirectories(screenshots);
            Path file = screenshots.resolve(name + ".png");
            Files.write(file, driver.getScreenshotAs(OutputType.BYTES));
            return file;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** A screenshot and the page's HTML under {@code target/screenshots/}, for a test that failed. */
    public void saveEvidence(String name) {
        screenshot(name);
        try {
            Files.writeString(screenshots.resolve(name + ".html"), driver.getCurrentUrl() + "\n" + driver.getPageSource());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public void close() {
        try {
            driver.quit();
        } finally {
            service.stop();
            deleteTree(profile);
        }
    }

    private static File installed(String property, String fallback) {
        File file = new File(System.getProperty(property, fallback));
        if (!file.canExecute()) {
            throw new IllegalStateException(file + " is missing: install the Debian packages chromium and chromium-driver "
                    + "(./run-tests.sh does), or point -D" + property + " at it");
        }
        return file;
    }

    private static void deleteTree(Path root) {
        try (Stream<Path> paths = Files.walk(root)) {
            paths.sorted(Comparator.reverseOrder()).forEach(path -> path.toFile().delete());
        } catch (IOException e) {
            // A leftover profile under target/ does no harm; mvn clean removes it.
        }
    }
}
