package fr.mssante.operator.server.access;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Map;
import java.util.stream.Stream;

import javax.net.ssl.SSLContext;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import fr.mssante.operator.server.ListeningPorts;
import fr.mssante.operator.server.devmode.DemoData;
import fr.mssante.operator.server.devmode.DevelopmentOidcIssuer;
import fr.mssante.operator.server.devmode.JwtSigner;
import fr.mssante.operator.server.testing.ImapDialogue;
import fr.mssante.operator.server.testing.SmtpDialogue;
import fr.mssante.operator.server.testing.TestServer;

/**
 * Professionals' access over the real protocols (issue 4): access tokens (XOAUTH2, OAUTHBEARER) from the development
 * issuer, refusals for expired, wrong-audience and badly signed tokens, co-holders and delegates, send-as rules.
 */
class ProfessionalAccessTest {
    static final String ALICE = "alice.martin@" + DemoData.DOMAIN;
    static final String BRUNO = "bruno.durand@" + DemoData.DOMAIN;
    static final String CLAIRE = "claire.secretaire@" + DemoData.DOMAIN;
    static final String CABINET = "secretariat.cabinet-sante@" + DemoData.DOMAIN;

    static TestServer server;
    static DevelopmentOidcIssuer issuer;
    static SSLContext tls;

    @BeforeAll
    static void start() throws Exception {
        server = TestServer.shared();
        issuer = server.runtime().oidcIssuer().orElseThrow();
        tls = server.clientTls();
    }

    static String xoauth2(String user, String token) {
        return Base64.getEncoder().encodeToString(("user=" + user + "\u0001auth=Bearer " + token + "\u0001\u0001")
            .getBytes(StandardCharsets.UTF_8));
    }

    static String oauthBearer(String user, String token) {
        return Base64.getEncoder().encodeToString(("n,a=" + user + ",\u0001auth=Bearer " + token + "\u0001\u0001")
            .getBytes(StandardCharsets.UTF_8));
    }

    static String initialResponse(String mechanism, String user, String token) {
        return mechanism.equals("XOAUTH2") ? xoauth2(user, token) : oauthBearer(user, token);
    }

    static String imapLogin(String mechanism, String user, String token) throws Exception {
        try (ImapDialogue imap = ImapDialogue.connectTls(server.port(ListeningPorts.IMAPS), tls)) {
            String status = imap.status("AUTHENTICATE " + mechanism + " " + initialResponse(mechanism, user, token));
            if (status.contains(" OK")) {
                return status + " | " + imap.status("SELECT INBOX");
            }
            return status;
        }
    }

    static String smtpLogin(String mechanism, String user, String token) throws Exception {
        try (SmtpDialogue smtp = SmtpDialogue.connectTls(server.port(ListeningPorts.SUBMISSIONS), tls)) {
            smtp.reply();
            smtp.command("EHLO client.test");
            String reply = smtp.command("AUTH " + mechanism + " " + initialResponse(mechanism, user, token));
            if (reply.startsWith("334")) {
                reply = smtp.command(Base64.getEncoder().encodeToString(new byte[] {1}));
            }
            return reply;
        }
    }

    static Stream<String> mechanisms() {
        return Stream.of("XOAUTH2", "OAUTHBEARER");
    }

    @ParameterizedTest
    @MethodSource("mechanisms")
    void aValidAccessTokenOpensImapAndSmtp(String mechanism) throws Exception {
        String token = issuer.accessToken(DemoData.ALICE_ID);
        assertThat(imapLogin(mechanism, ALICE, token)).contains("OK").contains("SELECT completed");
        assertThat(smtpLogin(mechanism, ALICE, token)).startsWith("235");
    }

    static Stream<Arguments> badTokens() {
        long now = System.currentTimeMillis() / 1000;
        return mechanisms().flatMap(mechanism -> Stream.of(
            Arguments.of(mechanism, "expired", Map.<String, Object>of("exp", now - 600, "iat", now - 900, "nbf", now - 900)),
            Arguments.of(mechanism, "wrong audience", Map.<String, Object>of("aud", "another-service")),
            Arguments.of(mechanism, "wrong issuer", Map.<String, Object>of("iss", "https://evil.example/realms/x")),
            Arguments.of(mechanism, "badly signed", Map.<String, Object>of())));
    }

    @ParameterizedTest(name = "{0} {1}")
    @MethodSource("badTokens")
    void refusedTokens(String mechanism, String why, Map<String, Object> overrides) throws Exception {
        Map<String, Object> claims = new java.util.LinkedHashMap<>(issuer.claims(DemoData.ALICE_ID));
        claims.putAll(overrides);
        String token = why.equals("badly signed")
            ? forgedWithSameKeyId(claims)
            : issuer.sign(claims);
        assertThat(imapLogin(mechanism, ALICE, token)).contains("NO").doesNotContain("SELECT completed");
        assertThat(smtpLogin(mechanism, ALICE, token)).startsWith("535");
    }

    /** Same header (kid) as the issuer's tokens, but signed by another key: the signature check must refuse it. */
    private static String forgedWithSameKeyId(Map<String, Object> claims) {
        String genuine = issuer.sign(claims);
        String forged = new JwtSigner("other").sign(claims);
        return genuine.substring(0, genuine.indexOf('.')) + forged.substring(forged.indexOf('.'));
    }

    @Test
    void aDelegateReadsTheDelegatorsInboxAndSendsOnBehalfAndANonDelegateCannot() throws Exception {
        String claire = issuer.accessToken(DemoData.CLAIRE_ID);
        String bruno = issuer.accessToken(DemoData.BRUNO_ID);
        assertThat(imapLogin("XOAUTH2", ALICE, claire)).contains("SELECT completed");
        assertThat(imapLogin("XOAUTH2", ALICE, bruno)).contains("NO").doesNotContain("SELECT completed");

        assertThat(sendAs("XOAUTH2", CLAIRE, claire, ALICE, ALICE)).startsWith("250");
        assertThat(sendAs("XOAUTH2", BRUNO, bruno, ALICE, ALICE)).startsWith("550").contains("Not authorised to send as " + ALICE);
        assertThat(sendAs("XOAUTH2", BRUNO, bruno, BRUNO, ALICE)).startsWith("550").contains("From: " + ALICE);
    }

    @Test
    void everyCoHolderOfThePracticeMailboxSeesItAndSendsFromIt() throws Exception {
        for (String identity : new String[] {DemoData.ALICE_ID, DemoData.BRUNO_ID}) {
            String token = issuer.accessToken(identity);
            assertThat(imapLogin("OAUTHBEARER", CABINET, token)).contains("SELECT completed");
            assertThat(sendAs("OAUTHBEARER", CABINET, token, CABINET, CABINET)).startsWith("250");
        }
        assertThat(imapLogin("OAUTHBEARER", CABINET, issuer.accessToken(DemoData.CLAIRE_ID))).contains("NO");
    }

    @Test
    void aReadOnlyDelegateReadsButChangesNothingAndCannotSend() throws Exception {
        HttpClient http = HttpClient.newHttpClient();
        HttpResponse<String> grant = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.webAdminPort()
                + "/mss/mailboxes/" + BRUNO + "/access/" + DemoData.CLAIRE_ID + "/DELEGATE_READ"))
            .header("Authorization", "Bearer " + server.webAdminToken()).PUT(HttpRequest.BodyPublishers.noBody()).build(),
            HttpResponse.BodyHandlers.ofString());
        assertThat(grant.statusCode()).isEqualTo(200);
        String claire = issuer.accessToken(DemoData.CLAIRE_ID);
        try (ImapDialogue imap = ImapDialogue.connectTls(server.port(ListeningPorts.IMAPS), tls)) {
            assertThat(imap.status("AUTHENTICATE XOAUTH2 " + xoauth2(BRUNO, claire))).contains("OK");
            assertThat(imap.status("SELECT INBOX")).contains("OK");
            assertThat(imap.status("SEARCH ALL")).contains("OK");
            assertThat(imap.status("STORE 1:* +FLAGS (\\Deleted)")).contains("NO").contains("read-only delegation");
            assertThat(imap.status("EXPUNGE")).contains("NO");
            assertThat(imap.status("CREATE Archives")).contains("NO");
        }
        assertThat(smtpLogin("XOAUTH2", BRUNO, claire)).isEqualTo("535 5.7.8 Authentication credentials invalid");
    }

    /** Authenticates, then MAIL FROM / RCPT / DATA with this From: header; returns the first non-2xx/3xx reply or the final one. */
    static String sendAs(String mechanism, String user, String token, String mailFrom, String fromHeader) throws Exception {
        try (SmtpDialogue smtp = SmtpDialogue.connectTls(server.port(ListeningPorts.SUBMISSIONS), tls)) {
            smtp.reply();
            smtp.command("EHLO client.test");
            assertThat(smtp.command("AUTH " + mechanism + " " + initialResponse(mechanism, user, token))).startsWith("235");
            String reply = smtp.command("MAIL FROM:<" + mailFrom + ">");
            if (!reply.startsWith("250")) {
                return reply;
            }
            assertThat(smtp.command("RCPT TO:<" + BRUNO + ">")).startsWith("250");
            assertThat(smtp.command("DATA")).startsWith("354");
            return smtp.command("From: <" + fromHeader + ">\r\nTo: <" + BRUNO + ">\r\nSubject: delegation test\r\n\r\nBonjour\r\n.");
        }
    }

    @Test
    void clientAutoconfigurationAnswersForOurDomainsOnly() throws Exception {
        int port = server.runtime().autoconfiguration().orElseThrow().port();
        HttpClient http = HttpClient.newHttpClient();
        HttpResponse<String> ours = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port
            + "/mail/config-v1.1.xml?emailaddress=" + ALICE)).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(ours.statusCode()).isEqualTo(200);
        assertThat(ours.body()).contains("<domain>" + DemoData.DOMAIN + "</domain>").contains("<authentication>OAuth2</authentication>")
            .contains("<socketType>STARTTLS</socketType>");
        HttpResponse<String> outlook = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port
            + "/autodiscover/autodiscover.xml")).POST(HttpRequest.BodyPublishers.ofString("<Autodiscover><Request><EMailAddress>"
            + ALICE + "</EMailAddress></Request></Autodiscover>")).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(outlook.body()).contains("<Type>IMAP</Type>").contains("<LoginName>" + ALICE + "</LoginName>");
        assertThat(http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port
            + "/mail/config-v1.1.xml?emailaddress=someone@gmail.com")).build(), HttpResponse.BodyHandlers.ofString()).statusCode())
            .isEqualTo(404);
    }
}
