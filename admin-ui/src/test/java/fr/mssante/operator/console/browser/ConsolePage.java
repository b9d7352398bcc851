package fr.mssante.operator.console.browser;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

import org.openqa.selenium.By;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebDriverException;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.Select;
import org.openqa.selenium.support.ui.WebDriverWait;

import fr.mssante.operator.webtestkit.HeadlessChromium;

/** The console as a user sees it: stable {@code data-test} selectors and labelled fields; no sleeps, only waits. */
final class ConsolePage {
    private final WebDriver driver;
    private final String baseUrl;
    private final Path screenshots;

    ConsolePage(WebDriver driver, String baseUrl, Path screenshots) {
        this.driver = driver;
        this.baseUrl = baseUrl;
        this.screenshots = screenshots;
    }

    WebDriver driver() {
        return driver;
    }

    ConsolePage goTo(String path) {
        driver.get(baseUrl + path);
        waitFor(By.tagName("main"));
        return this;
    }

    ConsolePage logIn(String login, String password, String code) {
        goTo("/login");
        fill("username", login).fill("password", password).fill("code", code);
        return click("login-submit");
    }

    ConsolePage fill(String id, String value) {
        WebElement field = driver.findElement(By.id(id));
        field.clear();
        field.sendKeys(value);
        return this;
    }

    ConsolePage choose(String id, String value) {
        new Select(driver.findElement(By.id(id))).selectByValue(value);
        return this;
    }

    ConsolePage check(String id) {
        WebElement box = driver.findElement(By.id(id));
        if (!box.isSelected()) {
            box.click();
        }
        return this;
    }

    ConsolePage click(String dataTest) {
        WebElement element = waitFor(test(dataTest));
        element.click();
        waitUntilGone(element);
        waitFor(By.tagName("main"));
        return this;
    }

    /** Clicks the {@code dataTest} button inside the element {@code within}. */
    ConsolePage clickWithin(String within, String dataTest) {
        WebElement element = waitFor(test(within)).findElement(test(dataTest));
        element.click();
        waitUntilGone(element);
        waitFor(By.tagName("main"));
        return this;
    }

    /** The page the element was on has been replaced (Chromium reports a detached node in more than one way). */
    private void waitUntilGone(WebElement element) {
        new WebDriverWait(driver, Duration.ofSeconds(30)).until(d -> {
            try {
                element.isEnabled();
                return false;
            } catch (WebDriverException e) {
                return true;
            }
        });
    }

    String text(String dataTest) {
        return waitFor(test(dataTest)).getText();
    }

    boolean has(String dataTest) {
        return !driver.findElements(test(dataTest)).isEmpty();
    }

    List<WebElement> all(String dataTest) {
        return driver.findElements(test(dataTest));
    }

    String url() {
        return driver.getCurrentUrl();
    }

    String source() {
        return driver.getPageSource();
    }

    Path screenshot(String name) {
        return HeadlessChromium.screenshot(driver, screenshots.resolve(name + ".png"));
    }

    WebElement waitFor(By by) {
        return new WebDriverWait(driver, Duration.ofSeconds(30)).until(ExpectedConditions.presenceOfElementLocated(by));
    }

    static By test(String dataTest) {
        return By.cssSelector("[data-test='" + dataTest + "']");
    }
}
