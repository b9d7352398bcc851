package fr.mssante.operator.server.citizen;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.Base64;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import javax.mail.Folder;
import javax.mail.Message;
import javax.mail.Store;
import javax.security.auth.x500.X500Principal;

import org.awaitility.Awaitility;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import fr.mssante.operator.server.ListeningPorts;
import fr.mssante.operator.server.devmode.DemoData;
import fr.mssante.operator.server.settings.ServerSettings;
import fr.mssante.operator.server.testing.ImapDialogue;
import fr.mssante.operator.server.testing.MailClient;
import fr.mssante.operator.server.testing.SmtpDialogue;
import fr.mssante.operator.server.testing.TestServer;

/**
 * Contract B, server side: the health space's scoped WebAdmin token reaches the citizen routes and nothing else; the
 * routes; the login codes (mailed, verified, throttled); the health space's certificate opening a citizen mailbox by
 * SASL EXTERNAL with the citizen as authorisation identity, and nothing else opening one.
 */
class CitizenAccessTest {
    static final String JEAN = "146026322000196";
    static final String JEAN_ADDRESS = JEAN + "@patient.mss.test";
    static final String PERSONAL = DemoData.CITIZENS_PERSONAL_MAILBOX + "@" + DemoData.DOMAIN;
    static final HttpClient HTTP = HttpClient.newHttpClient();
    static TestServer server;
    static Path dev;

    @BeforeAll
    static void start() throws Exception {
        server = TestServer.shared();
        dev = server.workingDirectory().resolve("var/dev");
    }

    static String healthSpaceToken() throws Exception {
        return Files.readString(dev.resolve("health-space.token"), StandardCharsets.US_ASCII).trim();
    }

    static HttpResponse<String> call(String token, String method, String path, String body) throws Exception {
        return HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.webAdminPort() + path))
            .header("Authorization", "Bearer " + token)
            .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body))
            .build(), HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void theHealthSpaceTokenReachesTheCitizenRoutesAndNothingElse() throws Exception {
        String token = healthSpaceToken();
        assertThat(call(token, "GET", "/mss/citizens/" + JEAN, null).statusCode()).isEqualTo(200);
        for (String path : new String[] {"/domains", "/users", "/mss/mailboxes/alice.martin@demo.mss.test", "/mss/trust-list",
            "/mss/citizensx", "/mss/citizens/../domains", "/mss/citizens/%2e%2e/domains", "/mss/citizens//x/../../domains",
            "/mailQueues", "/mss/token-scope"}) {
            HttpResponse<String> response = call(token, "GET", path, null);
            assertThat(response.statusCode()).as(path).isEqualTo(403);
            assertThat(response.body()).as(path).contains("confined to /mss/citizens");
        }
        assertThat(call(token, "PUT", "/domains/evil.test", null).statusCode()).isEqualTo(403);
        assertThat(call(token, "DELETE", "/users/alice.martin@demo.mss.test", null).statusCode()).isEqualTo(403);
        // the full administrator token is not confined
        assertThat(call(server.webAdminToken(), "GET", "/domains", null).statusCode()).isEqualTo(200);
        assertThat(call(server.webAdminToken(), "GET", "/mss/citizens/" + JEAN, null).statusCode()).isEqualTo(200);
    }

    @Test
    void aTamperedScopedTokenIsStillVerifiedByWebAdmin() throws Exception {
        String[] parts = healthSpaceToken().split("\\.");
        String payload = new String(Base64.getUrlDecoder().decode(parts[1]), StandardCharsets.UTF_8).replace("\"citizens\"", "\"all\"");
        String forged = parts[0] + "." + Base64.getUrlEncoder().withoutPadding().encodeToString(payload.getBytes(StandardCharsets.UTF_8))
            + "." + parts[2];
        assertThat(call(forged, "GET", "/domains", null).statusCode()).isIn(401, 403);
        assertThat(call(forged, "GET", "/mss/citizens/" + JEAN, null).statusCode()).isIn(401, 403);
    }

    @Test
    void theCitizenRouteShowsTheRegister() throws Exception {
        HttpResponse<String> jean = call(healthSpaceToken(), "GET", "/mss/citizens/" + JEAN, null);
        assertThat(jean.body()).contains("\"ins\":\"" + JEAN + "\"", "\"address\":\"" + JEAN_ADDRESS + "\"",
            "\"displayName\":\"Jean Lefèvre\"", "\"state\":\"OPEN\"", "\"personalEmail\":\"" + PERSONAL + "\"");
        assertThat(call(healthSpaceToken(), "GET", "/mss/citizens/285057511223390", null).statusCode()).isEqualTo(400);
        assertThat(call(healthSpaceToken(), "GET", "/mss/citizens/" + "1" + JEAN.substring(1, 13) + "00", null).statusCode())
            .isIn(400, 404);
        assertThat(Files.readString(dev.resolve("demo-citizens.properties"), StandardCharsets.UTF_8))
            .contains(JEAN + "=Jean Lefèvre", "172032A01400591=Lucas Santoni");
        assertThat(server.password(PERSONAL)).isNotBlank();
    }

    @Test
    void aLoginCodeIsMailedVerifiedOnceAndThrottled() throws Exception {
        String citizen = "285057511223391";
        String token = healthSpaceToken();
        assertThat(call(token, "POST", "/mss/citizens/" + citizen + "/login-code", null).statusCode()).isEqualTo(204);
        assertThat(call(token, "POST", "/mss/citizens/" + citizen + "/login-code", null).statusCode()).isEqualTo(429);
        String code = awaitCode();
        HttpResponse<String> wrong = call(token, "POST", "/mss/citizens/" + citizen + "/login-code/verify",
            "{\"code\":\"" + (code.equals("000000") ? "111111" : "000000") + "\"}");
        assertThat(wrong.statusCode()).isEqualTo(200);
        assertThat(wrong.body()).contains("\"valid\":false", "\"remainingAttempts\":4");
        HttpResponse<String> right = call(token, "POST", "/mss/citizens/" + citizen + "/login-code/verify", "{\"code\":\"" + code + "\"}");
        assertThat(right.body()).isEqualTo("{\"valid\":true}");
        // used once
        assertThat(call(token, "POST", "/mss/citizens/" + citizen + "/login-code/verify", "{\"code\":\"" + code + "\"}").body())
            .contains("\"valid\":false");
    }

    /** The latest login code in the demo personal mailbox. */
    static String awaitCode() {
        Pattern pattern = Pattern.compile("est : (\\d{6})");
        String[] found = new String[1];
        Awaitility.await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(500)).until(() -> {
            try (Store store = new MailClient(server).imap(PERSONAL)) {
                Folder inbox = store.getFolder("INBOX");
                inbox.open(Folder.READ_WRITE);
                try {
                    for (Message message : inbox.getMessages()) {
                        if (message.getSubject() != null && message.getSubject().startsWith("Votre code")) {
                            Matcher matcher = pattern.matcher(String.valueOf(message.getContent()));
                            if (matcher.find()) {
                                found[0] = matcher.group(1);
                            }
                            message.setFlag(javax.mail.Flags.Flag.DELETED, true);
                        }
                    }
                } finally {
                    inbox.close(true);
                }
            }
            return found[0] != null;
        });
        return found[0];
    }

    @Test
    void fiveWrongCodesLockTheCode() throws Exception {
        String citizen = "172032A01400591";
        String token = healthSpaceToken();
        assertThat(call(token, "POST", "/mss/citizens/" + citizen + "/login-code", null).statusCode()).isEqualTo(204);
        for (int left = 4; left >= 0; left--) {
            assertThat(call(token, "POST", "/mss/citizens/" + citizen + "/login-code/verify", "{\"code\":\"abc\"}").body())
                .contains("\"remainingAttempts\":" + left);
        }
        assertThat(call(token, "POST", "/mss/citizens/" + citizen + "/login-code/verify", "{\"code\":\"abc\"}").statusCode())
            .isEqualTo(429);
    }

    @Test
    void theHealthSpaceCertificateIsInTheDevelopmentPkiWithTheConfiguredSubject() throws Exception {
        KeyStore p12 = KeyStore.getInstance("PKCS12");
        char[] password = Files.readString(dev.resolve("pki/health-space.p12.password")).trim().toCharArray();
        try (var in = Files.newInputStream(dev.resolve("pki/health-space.p12"))) {
            p12.load(in, password);
        }
        X509Certificate certificate = (X509Certificate) p12.getCertificate(p12.aliases().nextElement());
        assertThat(certificate.getSubjectX500Principal().getName(X500Principal.RFC2253))
            .isEqualTo(ServerSettings.DEVELOPMENT_HEALTH_SPACE_DN);
        assertThat(certificate.getExtendedKeyUsage()).contains("1.3.6.1.5.5.7.3.2");
    }

    static String external(String identity, String authorizationId) throws Exception {
        Path pki = dev.resolve("pki");
        try (ImapDialogue imap = ImapDialogue.connectTls(server.port(ListeningPorts.IMAPS),
            server.tlsWithClientCertificate(pki.resolve(identity + "-chain.pem"), pki.resolve(identity + "-key.pem")))) {
            String initial = authorizationId == null ? "=" : Base64.getEncoder().encodeToString(authorizationId.getBytes(StandardCharsets.UTF_8));
            String status = imap.status("AUTHENTICATE EXTERNAL " + initial);
            return status.contains(" OK") ? status + " | " + imap.status("SELECT INBOX") : status;
        }
    }

    @Test
    void theHealthSpaceOpensACitizenMailboxNamedAsAuthorisationIdentityOnly() throws Exception {
        assertThat(external("health-space", JEAN_ADDRESS)).contains(" OK").contains("SELECT completed");
        assertThat(external("health-space", null)).doesNotContain(" OK");
        assertThat(external("health-space", "alice.martin@demo.mss.test")).doesNotContain(" OK");
        assertThat(external("health-space", "146026322000197@patient.mss.test")).doesNotContain(" OK");
        assertThat(external("health-space", "999999999999999@patient.mss.test")).doesNotContain(" OK");
        // another registered certificate (the lab's APP mailbox) cannot open a citizen mailbox
        assertThat(external("laboratoire", JEAN_ADDRESS)).doesNotContain(" OK");
        assertThat(external("laboratoire", null)).contains(" OK");
    }

    @Test
    void theServerLogNamesCitizensOnlyByTheirHash() throws Exception {
        ch.qos.logback.classic.Logger root = (ch.qos.logback.classic.Logger) org.slf4j.LoggerFactory.getLogger(
            org.slf4j.Logger.ROOT_LOGGER_NAME);
        ch.qos.logback.classic.Logger ours = (ch.qos.logback.classic.Logger) org.slf4j.LoggerFactory.getLogger("fr.mssante");
        ch.qos.logback.classic.Level before = ours.getLevel();
        ch.qos.logback.core.read.ListAppender<ch.qos.logback.classic.spi.ILoggingEvent> captured =
            new ch.qos.logback.core.read.ListAppender<>();
        captured.start();
        root.addAppender(captured);
        ours.setLevel(ch.qos.logback.classic.Level.DEBUG);
        try {
            // a login code checked (refused: none pending), a wrong citizen and the right one by EXTERNAL
            call(healthSpaceToken(), "POST", "/mss/citizens/" + JEAN + "/login-code/verify", "{\"code\":\"abc\"}");
            assertThat(external("health-space", "146026322000197@patient.mss.test")).doesNotContain(" OK");
            assertThat(external("health-space", JEAN_ADDRESS)).contains(" OK");
        } finally {
            ours.setLevel(before);
            root.detachAppender(captured);
        }
        java.util.List<String> lines = captured.list.stream()
            .map(event -> event.getFormattedMessage() + (event.getThrowableProxy() == null ? "" : " " + event.getThrowableProxy().getMessage()))
            .toList();
        assertThat(lines).anyMatch(line -> line.contains("LOGIN-CODE") && line.contains("actor=ins-hmac:"));
        assertThat(lines).anyMatch(line -> line.contains("EXTERNAL"));
        assertThat(lines).noneMatch(line -> line.contains(JEAN) || line.contains("146026322000197"));
    }

    @Test
    void aCitizenMailboxCannotBeReachedByAPassword() throws Exception {
        try (SmtpDialogue smtp = SmtpDialogue.connect(server.port(ListeningPorts.SUBMISSION))) {
            smtp.reply();
            smtp.command("EHLO client.test");
            smtp.startTls(server.clientTls());
            smtp.command("EHLO client.test");
            assertThat(smtp.authPlain(JEAN_ADDRESS, "whatever")).startsWith("535");
        }
        try (ImapDialogue imap = ImapDialogue.connectTls(server.port(ListeningPorts.IMAPS), server.clientTls())) {
            assertThat(imap.status("LOGIN " + JEAN_ADDRESS + " whatever")).doesNotContain(" OK");
        }
    }
}
