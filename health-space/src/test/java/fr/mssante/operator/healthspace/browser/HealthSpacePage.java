package fr.mssante.operator.healthspace.browser;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

import org.openqa.selenium.By;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.WebDriverWait;

import fr.mssante.operator.webtestkit.HeadlessChromium;

/** The health space as a citizen uses it: verbs goTo*, fill*, click*, assert*; selectors are data-test attributes. */
final class HealthSpacePage {
    private final WebDriver driver;
    private final String baseUrl;
    private final Path screenshots;
    private final WebDriverWait wait;

    HealthSpacePage(WebDriver driver, String baseUrl, Path screenshots) {
        this.driver = driver;
        this.baseUrl = baseUrl;
        this.screenshots = screenshots;
        this.wait = new WebDriverWait(driver, Duration.ofSeconds(30));
    }

    HealthSpacePage goToHome() {
        driver.get(baseUrl + "/");
        return this;
    }

    HealthSpacePage goTo(String path) {
        driver.get(baseUrl + path);
        return this;
    }

    HealthSpacePage fillIdentifier(String identifier) {
        WebElement field = find("identifier");
        field.clear();
        field.sendKeys(identifier);
        return this;
    }

    HealthSpacePage clickSendCode() {
        find("send-code").click();
        wait.until(ExpectedConditions.presenceOfElementLocated(test("code")));
        return this;
    }

    HealthSpacePage fillCode(String code) {
        find("code").sendKeys(code);
        return this;
    }

    HealthSpacePage clickVerify() {
        find("verify").click();
        wait.until(ExpectedConditions.presenceOfElementLocated(test("who")));
        return this;
    }

    HealthSpacePage clickConversation(String subject) {
        List<WebElement> links = driver.findElements(test("conversation-link"));
        WebElement link = links.stream().filter(element -> element.getText().contains(subject)).findFirst()
            .orElseThrow(() -> new AssertionError("No conversation " + subject + " in " + driver.getPageSource()));
        link.click();
        wait.until(ExpectedConditions.presenceOfElementLocated(test("subject")));
        return this;
    }

    HealthSpacePage clickDownload(int index) {
        find("download-" + index).click();
        return this;
    }

    HealthSpacePage clickReply() {
        find("reply").click();
        wait.until(ExpectedConditions.presenceOfElementLocated(test("reply-text")));
        return this;
    }

    HealthSpacePage fillReply(String text) {
        find("reply-text").sendKeys(text);
        return this;
    }

    HealthSpacePage clickSendReply() {
        find("send-reply").click();
        wait.until(ExpectedConditions.presenceOfElementLocated(test("notice")));
        return this;
    }

    HealthSpacePage assertSignedInAs(String name) {
        assertThat(find("who").getText()).isEqualTo(name);
        return this;
    }

    HealthSpacePage assertSubject(String subject) {
        assertThat(find("subject").getText()).contains(subject);
        return this;
    }

    HealthSpacePage assertBodyContains(String text) {
        assertThat(find("body").getText()).contains(text);
        return this;
    }

    HealthSpacePage assertReplySent() {
        assertThat(find("notice").getText()).isNotBlank();
        return this;
    }

    HealthSpacePage assertReplyAllowed() {
        assertThat(driver.findElements(test("reply"))).hasSize(1);
        return this;
    }

    /** No reply button, and the page says why (the server's reason). */
    String assertReplyRefused() {
        assertThat(driver.findElements(test("reply"))).isEmpty();
        String reason = find("reply-reason").getText();
        assertThat(reason).isNotBlank();
        return reason;
    }

    HealthSpacePage assertPageIsFrench() {
        assertThat(driver.findElement(By.tagName("html")).getAttribute("lang")).isEqualTo("fr");
        return this;
    }

    HealthSpacePage screenshot(String name) {
        HeadlessChromium.screenshot(driver, screenshots.resolve(name + ".png"));
        return this;
    }

    String source() {
        return driver.getPageSource();
    }

    private WebElement find(String testId) {
        return wait.until(ExpectedConditions.presenceOfElementLocated(test(testId)));
    }

    private static By test(String testId) {
        return By.cssSelector("[data-test='" + testId + "']");
    }
}
