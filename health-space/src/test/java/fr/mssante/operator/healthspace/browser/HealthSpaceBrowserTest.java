package fr.mssante.operator.healthspace.browser;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import java.io.IOException;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.WebDriver;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;

import fr.mssante.operator.healthspace.HealthSpaceApplication;
import fr.mssante.operator.healthspace.mailbox.Box;
import fr.mssante.operator.healthspace.mailbox.MailboxException;
import fr.mssante.operator.healthspace.mailbox.MailboxGateway;
import fr.mssante.operator.healthspace.mailbox.MessageSummary;
import fr.mssante.operator.webtestkit.HeadlessChromium;
import fr.mssante.operator.webtestkit.PackagedServer;
import jakarta.mail.Message;
import jakarta.mail.internet.InternetAddress;
import jakarta.mail.internet.MimeBodyPart;
import jakarta.mail.internet.MimeMessage;
import jakarta.mail.internet.MimeMultipart;

/**
 * The whole citizen flow, in a real headless Chromium, against the packaged server in its own JVM (demo data) and
 * the health space started here, pointed at it: a professional sends a PDF to a demo citizen; the citizen signs in
 * with the one-time code (read from the demo mailbox that receives every citizen's personal e-mail), opens the
 * message, downloads the PDF, replies; the professional receives the reply over IMAP; once the professional ends the
 * conversation (FIN) the reply button is gone and says why, and a reply forged past the page (submitted as the
 * citizen over SMTP) bounces. Screenshots in target/screenshots.
 */
class HealthSpaceBrowserTest {
    private static final Duration MAIL = Duration.ofSeconds(90);
    private static final Pattern CODE = Pattern.compile("(?<![0-9])([0-9]{6})(?![0-9])");

    private static Path work;
    private static PackagedServer server;
    private static ConfigurableApplicationContext healthSpace;
    private static WebDriver browser;
    private static Path downloads;
    private static String baseUrl;

    @BeforeAll
    static void start() throws Exception {
        work = Files.createTempDirectory("health-space-browser");
        server = PackagedServer.in(work.resolve("server")).start();
        int port = PackagedServer.freePort();
        healthSpace = new SpringApplicationBuilder(HealthSpaceApplication.class).run(
            "--server.port=" + port,
            "--mss.health-space.webadmin-url=" + server.webAdminUrl(),
            "--mss.health-space.webadmin-token-file=" + server.devFile("health-space.token"),
            "--mss.health-space.imaps-port=" + server.port("MSS_IMAPS_PORT"),
            "--mss.health-space.submissions-port=" + server.port("MSS_SUBMISSIONS_PORT"),
            "--mss.health-space.certificate=" + server.devFile("pki/health-space.p12"),
            "--mss.health-space.certificate-password-file=" + server.devFile("pki/health-space.p12.password"),
            "--mss.health-space.trust-roots=" + server.devFile("pki/ca.pem"),
            "--logging.file.name=" + work.resolve("health-space.log"));
        baseUrl = "http://127.0.0.1:" + port;
        downloads = Files.createDirectories(work.resolve("downloads"));
        browser = HeadlessChromium.start("fr-FR", downloads);
    }

    @AfterAll
    static void stop() throws Exception {
        if (browser != null) {
            browser.quit();
        }
        if (healthSpace != null) {
            healthSpace.close();
        }
        if (server != null) {
            server.close();
        }
    }

    @Test
    void aCitizenReadsDownloadsAndRepliesUntilTheProfessionalEndsTheConversation() throws Exception {
        try {
            scenario();
        } catch (Exception | AssertionError e) {
            // what the browser showed, for the failure report
            HeadlessChromium.screenshot(browser, Path.of("target", "screenshots", "failure.png"));
            Files.writeString(Path.of("target", "screenshots", "failure.html"), browser.getPageSource());
            throw new AssertionError(e.getMessage() + " (page: target/screenshots/failure.*, logs: " + work + ")", e);
        }
    }

    private void scenario() throws Exception {
        Map.Entry<String, String> citizen = demoCitizen();
        String ins = citizen.getKey();
        String address = ins + "@patient.mss.test";
        DemoMailbox professional = demoMailbox(professionalAddress());
        DemoMailbox personal = demoMailbox("citoyens@demo.mss.test");
        MailboxGateway gateway = healthSpace.getBean(MailboxGateway.class);
        HealthSpacePage page = new HealthSpacePage(browser, baseUrl, Path.of("target", "screenshots"));

        // a professional starts the conversation, with a PDF
        byte[] pdf = pdf();
        // the server is this test's own: one subject is enough
        String subject = "Résultats de votre bilan sanguin";
        MimeMessage first = professional.newMessage();
        first.setFrom(new InternetAddress(professional.address(), "Dr Alice Martin", "UTF-8"));
        first.setRecipient(Message.RecipientType.TO, new InternetAddress(address));
        first.setSubject(subject, "UTF-8");
        MimeBodyPart text = new MimeBodyPart();
        text.setText("Bonjour, vos résultats sont joints. Bien cordialement.", "UTF-8");
        MimeBodyPart attachment = new MimeBodyPart();
        attachment.setDataHandler(new jakarta.activation.DataHandler(
            new jakarta.mail.util.ByteArrayDataSource(pdf, "application/pdf")));
        attachment.setFileName("compte-rendu.pdf");
        attachment.setHeader("Content-Transfer-Encoding", "base64");
        first.setContent(new MimeMultipart(text, attachment));
        professional.send(first);
        String firstId = first.getMessageID();
        Awaitility.await().atMost(MAIL).pollInterval(Duration.ofSeconds(1))
            .until(() -> gateway.list(address).stream().anyMatch(message -> message.messageId().equals(firstId)));

        // the citizen signs in with the one-time code mailed to their personal address
        int before = personal.inbox().size();
        page.goToHome().assertPageIsFrench().fillIdentifier(ins).screenshot("health-space-1-login").clickSendCode();
        String code = Awaitility.await().atMost(MAIL).pollInterval(Duration.ofSeconds(1))
            .until(() -> codeIn(personal.inbox(), before), Optional::isPresent).orElseThrow();
        page.screenshot("health-space-2-code").fillCode(code).clickVerify().assertSignedInAs(citizen.getValue())
            .screenshot("health-space-3-conversations");

        // opens the message, downloads the PDF, replies
        page.clickConversation(subject).assertSubject(subject).assertBodyContains("vos résultats sont joints")
            .assertReplyAllowed().screenshot("health-space-4-message");
        page.clickDownload(0);
        Path downloaded = downloads.resolve("compte-rendu.pdf");
        Awaitility.await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(200))
            .until(() -> Files.exists(downloaded) && Files.size(downloaded) == pdf.length);
        assertThat(Files.readAllBytes(downloaded)).isEqualTo(pdf);
        page.clickReply().fillReply("Merci docteur, bien reçu.").screenshot("health-space-5-reply").clickSendReply()
            .assertReplySent();

        // the professional receives the reply, in the conversation
        DemoMailbox.Received reply = Awaitility.await().atMost(MAIL).pollInterval(Duration.ofSeconds(1))
            .until(() -> professional.inbox().stream().filter(m -> firstId.equals(m.inReplyTo().trim())).findFirst(),
                Optional::isPresent).orElseThrow();
        assertThat(reply.from()).contains(address);
        assertThat(reply.text()).contains("Merci docteur, bien reçu.");

        // the professional ends the conversation
        MimeMessage fin = professional.newMessage();
        fin.setFrom(new InternetAddress(professional.address(), "Dr Alice Martin", "UTF-8"));
        fin.setRecipient(Message.RecipientType.TO, new InternetAddress(address));
        fin.setSubject("[FIN] " + subject, "UTF-8");
        fin.setHeader("X-MSS-MES", "FIN");
        fin.setHeader("In-Reply-To", reply.messageId());
        fin.setHeader("References", firstId + " " + reply.messageId());
        fin.setText("Fin du suivi de ce bilan.", "UTF-8");
        professional.send(fin);
        String finId = fin.getMessageID();
        MessageSummary finReceived = Awaitility.await().atMost(MAIL).pollInterval(Duration.ofSeconds(1))
            .until(() -> gateway.list(address).stream().filter(m -> m.messageId().equals(finId)).findFirst(),
                Optional::isPresent).orElseThrow();

        // no reply button any more, and the page says why
        page.goTo("/messages/inbox/" + finReceived.uid()).assertBodyContains("Fin du suivi");
        String reason = page.assertReplyRefused();
        page.screenshot("health-space-6-after-fin");
        page.goTo("/messages/inbox/" + finReceivedFirst(gateway, address, firstId)).assertReplyRefused();

        // a reply forged past the page, submitted as the citizen, bounces
        MimeMessage forged = gateway.newMessage(address);
        forged.setFrom(new InternetAddress(address));
        forged.setRecipient(Message.RecipientType.TO, new InternetAddress(professional.address()));
        forged.setSubject("Re: [FIN] " + subject, "UTF-8");
        forged.setHeader("In-Reply-To", finId);
        forged.setHeader("References", firstId + " " + reply.messageId() + " " + finId);
        forged.setText("Réponse forgée après la fin de la conversation.", "UTF-8");
        java.util.Set<Long> known = new java.util.HashSet<>();
        gateway.list(address).stream().filter(m -> m.box() == Box.INBOX).forEach(m -> known.add(m.uid()));
        Throwable refused = catchThrowable(() -> gateway.submit(address, forged));
        if (refused == null) {
            // accepted by SMTP (the rule needs the headers), then bounced: a 'message non distribué' to the citizen
            MessageSummary bounce = Awaitility.await().atMost(MAIL).pollInterval(Duration.ofSeconds(1))
                .until(() -> gateway.list(address).stream().filter(m -> m.box() == Box.INBOX && !known.contains(m.uid()))
                    .findFirst(), Optional::isPresent).orElseThrow();
            assertThat(gateway.read(address, Box.INBOX, bounce.uid()).orElseThrow().text())
                .containsIgnoringCase("non distribu").contains("clos cette conversation");
        } else {
            assertThat(refused).isInstanceOf(MailboxException.class)
                .hasCauseInstanceOf(jakarta.mail.SendFailedException.class);
        }
        assertThat(professional.inbox()).noneMatch(m -> m.text().contains("Réponse forgée"));
        assertThat(reason).isNotBlank();
    }

    private static long finReceivedFirst(MailboxGateway gateway, String address, String firstId) {
        return gateway.list(address).stream().filter(m -> m.messageId().equals(firstId)).findFirst().orElseThrow().uid();
    }

    private static Optional<String> codeIn(List<DemoMailbox.Received> inbox, int before) {
        for (int i = inbox.size() - 1; i >= before; i--) {
            String mail = inbox.get(i).subject() + "\n" + inbox.get(i).text();
            Matcher matcher = CODE.matcher(mail);
            if (mail.contains("code") && matcher.find()) {
                try {
                    Files.writeString(work.resolve("code-mail.txt"), mail);
                } catch (IOException e) {
                    throw new java.io.UncheckedIOException(e);
                }
                return Optional.of(matcher.group(1));
            }
        }
        return Optional.empty();
    }

    private static Map.Entry<String, String> demoCitizen() throws IOException {
        Map<String, String> citizens = new TreeMap<>(load(server.devFile("demo-citizens.properties")));
        assertThat(citizens).hasSizeGreaterThanOrEqualTo(3);
        return citizens.entrySet().iterator().next();
    }

    private static String professionalAddress() throws IOException {
        Map<String, String> credentials = load(server.devFile("demo-credentials.properties"));
        if (credentials.containsKey("alice.martin@demo.mss.test")) {
            return "alice.martin@demo.mss.test";
        }
        return new TreeMap<>(credentials).keySet().stream().filter(a -> a.endsWith("@demo.mss.test") && !a.startsWith("citoyens@"))
            .findFirst().orElseThrow();
    }

    private static DemoMailbox demoMailbox(String address) throws Exception {
        String password = load(server.devFile("demo-credentials.properties")).get(address);
        assertThat(password).as("demo password of " + address).isNotNull();
        return new DemoMailbox(address, password, server.port("MSS_SUBMISSIONS_PORT"), server.port("MSS_IMAPS_PORT"),
            server.devFile("pki/ca.pem"));
    }

    private static Map<String, String> load(Path file) throws IOException {
        Properties properties = new Properties();
        try (Reader reader = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            properties.load(reader);
        }
        Map<String, String> values = new TreeMap<>();
        properties.stringPropertyNames().forEach(name -> values.put(name, properties.getProperty(name)));
        return values;
    }

    /** A one-page PDF (with the binary comment line real PDFs carry). */
    private static byte[] pdf() {
        String body = "%PDF-1.4\n%\u00e2\u00e3\u00cf\u00d3\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n"
            + "2 0 obj<</Type/Pages/Kids[3 0 R]/Count 1>>endobj\n"
            + "3 0 obj<</Type/Page/Parent 2 0 R/MediaBox[0 0 595 842]>>endobj\n"
            + "trailer<</Root 1 0 R>>\n%%EOF\n";
        return body.getBytes(StandardCharsets.ISO_8859_1);
    }
}
