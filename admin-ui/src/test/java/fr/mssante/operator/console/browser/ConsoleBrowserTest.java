package fr.mssante.operator.console.browser;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.openqa.selenium.By;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.web.bind.annotation.RequestMethod;
import org.springframework.web.servlet.mvc.method.RequestMappingInfo;
import org.springframework.web.servlet.mvc.method.annotation.RequestMappingHandlerMapping;

import fr.mssante.operator.console.ConsoleAccounts;
import fr.mssante.operator.console.account.DevelopmentAccounts;
import fr.mssante.operator.console.account.Totp;
import fr.mssante.operator.dmp.outbox.ClaimedSubmission;
import fr.mssante.operator.dmp.outbox.Code;
import fr.mssante.operator.dmp.outbox.DmpOutbox;
import fr.mssante.operator.dmp.outbox.DocumentAuthor;
import fr.mssante.operator.dmp.outbox.DocumentMetadata;
import fr.mssante.operator.dmp.outbox.Institution;
import fr.mssante.operator.dmp.outbox.OutboxState;
import fr.mssante.operator.dmp.outbox.PatientIdentity;
import fr.mssante.operator.dmp.outbox.RetryPolicy;
import fr.mssante.operator.dmp.outbox.Submission;
import fr.mssante.operator.webtestkit.HeadlessChromium;
import fr.mssante.operator.webtestkit.PackagedServer;

/**
 * The console's must-show flows in a real headless Chromium, against the packaged mail server in its own JVM (its
 * embedded PostgreSQL holds the console's schema too) and a real clamd: TOTP login; a CAB mailbox with two co-holders
 * and a read-only delegate; suspend; refresh the liste blanche; release a quarantined message; find it in the audit
 * trail and export CSV; then an auditor reads every page and can change nothing. Screenshots in target/screenshots.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class ConsoleBrowserTest {
    static final String DOMAIN = "demo.mss.test";
    static final String CABINET = "cabinet.console@" + DOMAIN;
    static final String ALICE = "alice.martin@" + DOMAIN;
    static final String BRUNO = "bruno.durand@" + DOMAIN;
    static final Path TARGET = Path.of("target").toAbsolutePath();
    static final Path SCREENSHOTS = TARGET.resolve("screenshots");

    static Clamd clamd;
    static PackagedServer server;
    static Path downloads;
    static WebDriver driver;
    static ConsolePage page;
    static String releasedMessageId;
    static long failedDmpId;

    @LocalServerPort
    int port;
    @Autowired
    javax.sql.DataSource dataSource; // the server's PostgreSQL (the console's schema is in it)
    @Autowired
    @Qualifier("requestMappingHandlerMapping") // the application's routes (the actuator has its own mapping)
    RequestMappingHandlerMapping mappings;

    @DynamicPropertySource
    static void startServer(DynamicPropertyRegistry registry) throws Exception {
        Path work = Files.createTempDirectory(TARGET, "console-it-");
        clamd = Clamd.start(Files.createDirectories(work.resolve("clamd")));
        server = PackagedServer.in(work.resolve("server")).with("MSS_CLAMD_ADDRESS", clamd.address()).start();
        String dbPassword = Files.readString(server.workingDirectory().resolve("var/store/postgres.password")).trim();
        registry.add("spring.datasource.url", () -> "jdbc:postgresql://127.0.0.1:" + server.port("MSS_DB_EMBEDDED_PORT") + "/mss");
        registry.add("spring.datasource.username", () -> "mss");
        registry.add("spring.datasource.password", () -> dbPassword);
        registry.add("mss.console.web-admin-url", server::webAdminUrl);
        registry.add("mss.console.web-admin-token-file", () -> server.devFile("console.token").toString());
        registry.add("mss.console.dev-directory", () -> server.devFile("").toString());
        downloads = Files.createDirectories(work.resolve("downloads"));
    }

    @AfterAll
    static void stop() throws Exception {
        if (driver != null) {
            driver.quit();
        }
        if (server != null) {
            server.close();
        }
        if (clamd != null) {
            clamd.close();
        }
    }

    ConsolePage page() {
        if (page == null) {
            driver = HeadlessChromium.start("fr-FR", downloads);
            page = new ConsolePage(driver, "http://127.0.0.1:" + port, SCREENSHOTS);
        }
        return page;
    }

    static ConsoleAccounts accounts() {
        return new ConsoleAccounts(server.devFile(DevelopmentAccounts.FILE));
    }

    @Test
    @Order(1)
    void anOperatorLogsInWithPasswordAndTotpCode() {
        ConsoleAccounts.Entry operator = accounts().get(DevelopmentAccounts.OPERATOR);
        page().goTo("/mailboxes");
        assertThat(page.url()).endsWith("/login");
        page.screenshot("01-login");
        String wrong = operator.code().equals("000000") ? "111111" : "000000";
        page.logIn(operator.login(), operator.password(), wrong);
        assertThat(page.text("login-error")).contains("Connexion refusée");

        page.logIn(operator.login(), operator.password(), freshCode(operator));
        assertThat(page.text("current-user")).contains("operateur").contains("opérateur");
        assertThat(page.url()).endsWith("/");
        page.screenshot("02-dashboard");
    }

    @Test
    @Order(2)
    void anOperatorCreatesACabMailboxWithTwoCoHoldersAndAReadOnlyDelegate() throws Exception {
        page().goTo("/mailboxes")
            .fill("address", CABINET).choose("kind", "CAB").fill("holder", "810000000201")
            .fill("description", "Cabinet médical des Tilleuls").fill("service", "Médecine générale")
            .click("mailbox-create-submit");
        assertThat(page.text("flash-success")).contains("Boîte aux lettres créée");
        assertThat(page.text("mailbox-kind")).isEqualTo("CAB");
        grant("810000000202", "CO_HOLDER");
        grant("810000000203", "CO_HOLDER");
        grant("810000000204", "DELEGATE_READ");
        assertThat(page.text("access-810000000202")).contains("co-titulaire");
        assertThat(page.text("access-810000000203")).contains("co-titulaire");
        assertThat(page.text("access-810000000204")).contains("délégué en lecture seule");
        page.screenshot("03-cab-mailbox");

        // the server's register says the same (through WebAdmin, not through the console)
        String access = webAdmin("GET", "/mss/mailboxes/" + CABINET + "/access").body();
        assertThat(access).contains("\"identity\":\"810000000202\"")
            .contains("\"role\":\"DELEGATE_READ\"");
        assertThat(webAdmin("GET", "/mss/mailboxes/" + CABINET + "/history").body())
            .contains("CREATED: CAB held by 810000000201 (console:operateur)")
            .contains("GRANTED: DELEGATE_READ to 810000000204 (console:operateur)");
    }

    @Test
    @Order(3)
    void anOperatorSuspendsAMailbox() throws Exception {
        page().goTo("/mailboxes/" + CABINET).click("mailbox-suspend");
        assertThat(page.text("mailbox-state")).isEqualTo("SUSPENDED");
        assertThat(webAdmin("GET", "/mss/mailboxes/" + CABINET).body()).contains("\"state\":\"SUSPENDED\"");
        page.screenshot("04-suspended");
    }

    @Test
    @Order(4)
    void anOperatorRefreshesTheTrustList() {
        page().goTo("/trust-list");
        int before = page.waitFor(ConsolePage.test("trust-list-history")).findElements(By.cssSelector("tbody tr")).size();
        page.click("trust-list-refresh-submit");
        assertThat(page.text("flash-success")).contains("Liste blanche rafraîchie");
        int after = page.waitFor(ConsolePage.test("trust-list-history")).findElements(By.cssSelector("tbody tr")).size();
        assertThat(after).isGreaterThan(before == 20 ? 19 : before);
        // the entries themselves, with their operator certificate DN and source, and a filter on domain or DN
        WebElement entries = page.waitFor(ConsolePage.test("trust-list-entries"));
        assertThat(entries.findElements(By.cssSelector("tbody tr"))).anySatisfy(row -> {
            assertThat(row.findElement(By.cssSelector("th")).getText()).isEqualTo(DOMAIN);
            assertThat(row.findElements(By.cssSelector("td")).get(0).getText()).contains("CN=");
            assertThat(row.findElements(By.cssSelector("td")).get(3).getText()).endsWith("liste-blanche.xml");
        });
        page.fill("q", "aucun-domaine-de-ce-nom").click("trust-list-filter-submit");
        assertThat(page.text("trust-list-matched")).startsWith("0 entrée(s) sur ");
        assertThat(page.waitFor(ConsolePage.test("trust-list-entries")).findElements(By.cssSelector("tbody tr"))).isEmpty();
        page.fill("q", DOMAIN.substring(0, 4).toUpperCase(java.util.Locale.ROOT)).click("trust-list-filter-submit");
        assertThat(page.waitFor(ConsolePage.test("trust-list-entries")).findElements(By.cssSelector("tbody th")))
            .extracting(WebElement::getText).contains(DOMAIN);
        page.screenshot("05-trust-list");
    }

    @Test
    @Order(5)
    void anOperatorReleasesAQuarantinedMessage() throws Exception {
        releasedMessageId = "<console-quarantine-" + System.nanoTime() + "@" + DOMAIN + ">";
        submitInfected(releasedMessageId);
        String card = "quarantined-" + releasedMessageId;
        await().atMost(Duration.ofSeconds(90)).pollInterval(Duration.ofSeconds(1)).until(() -> {
            page().goTo("/queues");
            return page.has(card);
        });
        String shown = page.text(card);
        assertThat(shown).contains(ALICE).contains(BRUNO).contains("Eicar-Test-Signature-Console");
        assertThat(page.source()).doesNotContain("EICAR").doesNotContain("Compte rendu du laboratoire");
        page.screenshot("06-quarantine");

        page.clickWithin(card, "quarantine-release");
        assertThat(page.text("flash-success")).contains("Message libéré");
        assertThat(page.has(card)).isFalse();
        assertThat(webAdmin("GET", "/mss/quarantine").body()).doesNotContain(releasedMessageId);
    }

    @Test
    @Order(6)
    void anOperatorFindsTheReleasedMessageInTheAuditTrailAndExportsCsv() throws Exception {
        page().goTo("/audit").fill("a-messageId", releasedMessageId).click("audit-search-submit");
        await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofSeconds(1)).until(() -> {
            page.click("audit-search-submit");
            return page.all("audit-row").stream().anyMatch(row -> row.getText().contains("QUARANTINE_RELEASED"));
        });
        assertThat(page.all("audit-row")).allMatch(row -> row.getText().contains(releasedMessageId));
        assertThat(page.all("audit-row")).anyMatch(row -> row.getText().contains("QUARANTINE_RELEASED")
            && row.getText().contains("console:operateur"));
        assertThat(page.all("audit-row")).anyMatch(row -> row.getText().contains("QUARANTINED"));
        page.screenshot("07-audit-search");

        WebElement export = page.waitFor(ConsolePage.test("audit-export"));
        assertThat(export.getAttribute("href")).contains("messageId=");
        export.click();
        Path csv = downloads.resolve("audit.csv");
        await().atMost(Duration.ofSeconds(30)).until(() -> Files.exists(csv) && Files.size(csv) > 0);
        List<String> lines = Files.readAllLines(csv, StandardCharsets.UTF_8);
        assertThat(lines.get(0)).containsIgnoringCase("type");
        assertThat(lines.subList(1, lines.size())).isNotEmpty().allMatch(line -> line.contains(releasedMessageId))
            .anyMatch(line -> line.contains("QUARANTINE_RELEASED"));
    }

    @Test
    @Order(7)
    void anOperatorRetriesAFailedDmpFilingNow() throws Exception {
        DmpOutbox outbox = new DmpOutbox(dataSource, java.time.Clock.systemUTC(), RetryPolicy.DEFAULT);
        String messageId = "<console-dmp-" + System.nanoTime() + "@" + DOMAIN + ">";
        failedDmpId = outbox.enqueue(dmpSubmission(messageId)).id();
        ClaimedSubmission claimed = null;
        for (ClaimedSubmission c : outbox.claimDue(100, Duration.ofMinutes(5))) {
            if (c.id() == failedDmpId) {
                claimed = c;
            } else {
                outbox.release(c.claim()); // not ours: back as it was
            }
        }
        assertThat(claimed).isNotNull();
        assertThat(outbox.markFailedRetryable(claimed.claim(), "DMP injoignable (test)")).contains(OutboxState.QUEUED);
        assertThat(outbox.find(failedDmpId).orElseThrow().nextAttemptAt()).isAfter(java.time.Instant.now());

        page().goTo("/dmp?state=QUEUED");
        page.click("dmp-retry-" + failedDmpId);
        assertThat(page.text("flash-success")).contains("Nouvelle tentative");
        assertThat(outbox.find(failedDmpId).orElseThrow().nextAttemptAt()).isBeforeOrEqualTo(java.time.Instant.now());
        assertThat(webAdmin("GET", "/mss/audit/events?type=DMP_RETRY_REQUESTED&messageId="
            + URLEncoder.encode(messageId, StandardCharsets.UTF_8)).body()).contains("\"actor\":\"console:operateur\"");
        page.screenshot("07-dmp-retry");

        // the console's own accounts: a new auditor, its secrets shown once, then locked
        page.click("nav-accounts");
        page.fill("a-login", "claire.audit").choose("a-role", "AUDITOR").click("account-create-submit");
        assertThat(page.text("account-password")).hasSizeGreaterThanOrEqualTo(20);
        assertThat(page.text("account-otpauth")).startsWith("otpauth://totp/MSS%20console%3Aclaire.audit?secret=");
        page.screenshot("07-account-created");
        page.click("lock-claire.audit");
        assertThat(page.has("account-secrets")).as("shown once").isFalse();
        assertThat(page.text("account-claire.audit")).contains("verrouillé par un opérateur");
        assertEveryFieldIsLabelled("/accounts");
    }

    @Test
    @Order(8)
    void theConsoleSpeaksEnglishOnRequest() {
        page().goTo("/?lang=en");
        assertThat(page.waitFor(ConsolePage.test("nav-dashboard")).getText()).isEqualTo("Dashboard");
        page.screenshot("08-dashboard-en");
        page.goTo("/?lang=fr");
        assertThat(page.waitFor(ConsolePage.test("nav-dashboard")).getText()).isEqualTo("Tableau de bord");
        assertThat(page.has("chart-hourly")).isTrue();
        page.screenshot("10-dashboard-after-the-day");
    }

    static final List<String> PAGES = List.of("/", "/domains", "/mailboxes", "/mailboxes/" + CABINET, "/certificates",
        "/trust-list", "/queues", "/directory", "/dmp", "/audit");

    @Test
    @Order(9)
    void anAuditorReadsEveryPageAndCanChangeNothing() throws Exception {
        page().click("logout");
        ConsoleAccounts.Entry auditor = accounts().get(DevelopmentAccounts.AUDITOR);
        page.logIn(auditor.login(), auditor.password(), freshCode(auditor));
        assertThat(page.text("current-user")).contains("auditeur").contains("lecture seule");
        for (String path : PAGES) {
            page.goTo(path);
            assertThat(page.has("error-status")).as("%s renders", path).isFalse();
            for (String error : List.of("load-error", "block-error")) {
                assertThat(page.has(error)).as("%s loads: %s", path, page.has(error) ? page.text(error) : "").isFalse();
            }
            List<String> postForms = new ArrayList<>();
            for (WebElement form : page.driver().findElements(By.cssSelector("form"))) {
                String action = String.valueOf(form.getAttribute("action"));
                if ("post".equalsIgnoreCase(form.getAttribute("method")) && !action.endsWith("/logout")) {
                    postForms.add(action);
                }
            }
            assertThat(postForms).as("forms that change something on %s", path).isEmpty();
            assertEveryFieldIsLabelled(path);
        }
        page.goTo("/dmp?state=QUEUED");
        assertThat(page.waitFor(ConsolePage.test("dmp-entries")).findElements(By.cssSelector("tbody th")))
            .extracting(WebElement::getText).contains(String.valueOf(failedDmpId));
        assertThat(page.has("dmp-retry")).as("no retry form for an auditor").isFalse();
        assertThat(page.has("dmp-retry-" + failedDmpId)).isFalse();
        page.goTo("/mailboxes/" + CABINET);
        page.screenshot("09-auditor-mailbox");

        // and if an auditor crafts the POSTs anyway (valid session and CSRF token): 403, nothing changes
        String session = page.driver().manage().getCookieNamed("MSS_CONSOLE").getValue();
        String csrf = page.driver().findElement(By.cssSelector("form[action$='/logout'] input[name='_csrf']")).getAttribute("value");
        List<String> posts = new ArrayList<>();
        for (RequestMappingInfo info : mappings.getHandlerMethods().keySet()) {
            if (info.getMethodsCondition().getMethods().contains(RequestMethod.POST)) {
                info.getPatternValues().forEach(pattern -> posts.add(pattern.replaceAll("\\{[^}]+}", CABINET)));
            }
        }
        assertThat(posts).hasSizeGreaterThanOrEqualTo(12);
        HttpClient http = HttpClient.newHttpClient();
        for (String path : posts) {
            String form = "_csrf=" + URLEncoder.encode(csrf, StandardCharsets.UTF_8)
                + "&state=ACTIVE&identity=810000000299&role=CO_HOLDER&key=k&domain=x.test&source=s";
            HttpResponse<String> response = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
                .header("Cookie", "MSS_CONSOLE=" + session).header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString(form)).build(), HttpResponse.BodyHandlers.ofString());
            assertThat(response.statusCode()).as("POST %s as auditor", path).isEqualTo(403);
        }
        assertThat(webAdmin("GET", "/mss/mailboxes/" + CABINET).body()).contains("\"state\":\"SUSPENDED\"");
        assertThat(webAdmin("GET", "/mss/mailboxes/" + CABINET + "/access").body()).doesNotContain("810000000299");
    }

    private void assertEveryFieldIsLabelled(String path) {
        for (WebElement field : page.driver().findElements(By.cssSelector("input:not([type=hidden]), select, textarea"))) {
            String id = field.getAttribute("id");
            assertThat(id).as("a field on %s has an id", path).isNotBlank();
            assertThat(page.driver().findElements(By.cssSelector("label[for='" + id + "']"))).as("label of #%s on %s", id, path)
                .isNotEmpty();
        }
    }

    private void grant(String identity, String role) {
        page.fill("identity", identity).choose("role", role).click("access-grant-submit");
        assertThat(page.text("flash-success")).contains("Accès accordé");
    }

    /** A code of a TOTP step not used yet by this account (each code serves once). */
    private static String freshCode(ConsoleAccounts.Entry account) {
        long now = Totp.step(java.time.Instant.now());
        if (lastStep.getOrDefault(account.login(), -1L) >= now) {
            await().atMost(Duration.ofSeconds(35)).until(() -> Totp.step(java.time.Instant.now()) > lastStep.get(account.login()));
            now = Totp.step(java.time.Instant.now());
        }
        lastStep.put(account.login(), now);
        return Totp.code(account.secret(), now);
    }

    private static final java.util.Map<String, Long> lastStep = new java.util.HashMap<>();

    /** Alice sends Bruno a message carrying the EICAR test file, through submission (STARTTLS, password), with curl. */
    private static void submitInfected(String messageId) throws Exception {
        String password = null;
        for (String line : Files.readAllLines(server.devFile("demo-credentials.properties"))) {
            if (line.startsWith(ALICE + "=")) {
                password = line.substring(ALICE.length() + 1).trim();
            }
        }
        Path ca;
        try (Stream<Path> files = Files.walk(server.devFile(""))) {
            ca = files.filter(file -> file.getFileName().toString().equals("ca.pem")).findFirst().orElseThrow();
        }
        String boundary = "b-" + System.nanoTime();
        String message = "From: " + ALICE + "\r\nTo: " + BRUNO + "\r\nSubject: Compte rendu\r\nMessage-ID: " + messageId
            + "\r\nMIME-Version: 1.0\r\nContent-Type: multipart/mixed; boundary=\"" + boundary + "\"\r\n\r\n--" + boundary
            + "\r\nContent-Type: text/plain; charset=UTF-8\r\n\r\nCompte rendu du laboratoire en pièce jointe.\r\n--" + boundary
            + "\r\nContent-Type: application/octet-stream\r\nContent-Disposition: attachment; filename=\"resultat.pdf\"\r\n"
            + "Content-Transfer-Encoding: base64\r\n\r\n"
            + java.util.Base64.getEncoder().encodeToString(Clamd.EICAR.getBytes(StandardCharsets.US_ASCII))
            + "\r\n--" + boundary + "--\r\n";
        Path eml = Files.writeString(server.workingDirectory().resolve("infected.eml"), message, StandardCharsets.UTF_8);
        int submission = server.port("MSS_SUBMISSION_PORT");
        Process curl = new ProcessBuilder("curl", "-sS", "--url", "smtp://localhost:" + submission,
            "--resolve", "localhost:" + submission + ":127.0.0.1", "--ssl-reqd", "--cacert", ca.toString(),
            "--user", ALICE + ":" + password, "--mail-from", ALICE, "--mail-rcpt", BRUNO, "-T", eml.toString())
            .redirectErrorStream(true).start();
        String output = new String(curl.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(curl.waitFor()).as("curl: %s", output).isZero();
    }

    private static HttpResponse<String> webAdmin(String method, String path) throws Exception {
        return HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(server.webAdminUrl() + path))
            .header("Authorization", "Bearer " + server.readDevFile("webadmin.token"))
            .method(method, HttpRequest.BodyPublishers.noBody()).build(), HttpResponse.BodyHandlers.ofString());
    }

    /** A synthetic DMP submission (INS from the ANS test range; no real person). */
    private static Submission dmpSubmission(String messageId) {
        String documentId = "1.2.250.9." + System.nanoTime();
        byte[] cda = ("<ClinicalDocument xmlns=\"urn:hl7-org:v3\"><id root=\"" + documentId + "\"/></ClinicalDocument>")
            .getBytes(StandardCharsets.UTF_8);
        DocumentMetadata metadata = new DocumentMetadata(documentId, documentId + ".0", "Compte rendu",
            new Code("11502-2", "2.16.840.1.113883.6.1", "CR d'examens biologiques"),
            new Code("urn:ihe:lab:xd-lab:2008", "1.3.6.1.4.1.19376.1.2.3", "CR-BIO"),
            new Code("N", "2.16.840.1.113883.5.25", "Normal"), "fr-FR", java.time.Instant.parse("2026-11-20T10:15:00Z"),
            null, null,
            new PatientIdentity("279035121518989", "1.2.250.1.213.1.4.10", "CORSE", "FIGATELLIX",
                java.time.LocalDate.of(1988, 10, 12), "M"),
            new DocumentAuthor("810001234567", "KIT", "DOC", new Code("10", "1.2.250.1.71.1.2.7", "Médecin"), null),
            new Institution("Laboratoire de test", "3123456789"));
        return new Submission(messageId, ALICE, "810001234567", "text/xml", cda, null, metadata);
    }
}
