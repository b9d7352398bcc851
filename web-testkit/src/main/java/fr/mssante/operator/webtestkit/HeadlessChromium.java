package fr.mssante.operator.webtestkit;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;

import org.openqa.selenium.OutputType;
import org.openqa.selenium.TakesScreenshot;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;

/**
 * A real headless Chromium (Debian {@code chromium} + {@code chromium-driver}, installed by {@code .ci/run}) driven
 * by Selenium, French by default. A missing browser is a failure, never a skip.
 */
public final class HeadlessChromium {
    private static final Path CHROMIUM = Path.of("/usr/bin/chromium");
    private static final Path DRIVER = Path.of("/usr/bin/chromedriver");

    private HeadlessChromium() {
    }

    /** A new browser; the caller quits it. {@code language} e.g. {@code "fr-FR"} or {@code "en-GB"}. */
    public static WebDriver start(String language, Path downloadDirectory) {
        if (!Files.isExecutable(CHROMIUM) || !Files.isExecutable(DRIVER)) {
            throw new IllegalStateException("Chromium and its driver are required: apt-get install chromium chromium-driver");
        }
        // never let Selenium Manager try a download
        System.setProperty("webdriver.chrome.driver", DRIVER.toString());
        Path profile;
        try {
            profile = Files.createTempDirectory("chromium-profile");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        ChromeOptions options = new ChromeOptions().setBinary(CHROMIUM.toFile())
            .addArguments("--headless=new", "--no-sandbox", "--disable-dev-shm-usage", "--disable-gpu",
                "--disable-quic", "--no-first-run", "--disable-background-networking", "--disable-component-update",
                "--disable-sync", "--user-data-dir=" + profile, "--window-size=1280,900", "--lang=" + language)
            .setExperimentalOption("prefs", Map.of(
                "intl.accept_languages", language,
                "download.default_directory", downloadDirectory.toAbsolutePath().toString(),
                "download.prompt_for_download", false,
                "plugins.always_open_pdf_externally", true));
        ChromeDriverService service = new ChromeDriverService.Builder().usingDriverExecutable(DRIVER.toFile())
            .usingAnyFreePort().build();
        ChromeDriver driver = new ChromeDriver(service, options);
        driver.manage().timeouts().implicitlyWait(Duration.ofSeconds(0));
        return driver;
    }

    /** Saves a PNG screenshot of the current page (a test artifact; the best ones go into the docs). */
    public static Path screenshot(WebDriver driver, Path file) {
        try {
            Files.createDirectories(file.toAbsolutePath().getParent());
            Files.write(file, ((TakesScreenshot) driver).getScreenshotAs(OutputType.BYTES));
            return file;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
