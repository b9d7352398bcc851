package fr.mssante.operator.server.trustspace;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import javax.mail.Folder;
import javax.mail.Store;
import javax.mail.search.SubjectTerm;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

import fr.mssante.operator.server.dsn.StrictDsnChecker;
import fr.mssante.operator.server.testing.MailClient;
import fr.mssante.operator.server.testing.SmtpDialogue;
import fr.mssante.operator.server.testing.TestServer;
import fr.mssante.operator.trust.testpki.IssuedCertificate;
import fr.mssante.operator.trust.testpki.ListeBlancheWriter;
import fr.mssante.operator.trust.testpki.ListedPair;
import fr.mssante.operator.trust.testpki.TestPki;

/**
 * Interop with a foreign MTA (issue 3, must-show 3): Postfix relays into our MX with its client certificate, accepts
 * our outbound delivery with {@code smtpd_tls_req_ccert}, and is refused once it stops presenting a certificate.
 * Skipped when Postfix is not installed or the tests do not run as root (Postfix must start as root).
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class PostfixInteropTest {
    private static final String OUR_DOMAIN = "operateur-a.test";
    private static final String POSTFIX_DOMAIN = "postfix-op.test";
    private static final String BRUNO = "bruno.durand@" + OUR_DOMAIN;
    private static final String ALICE = "alice.martin@" + OUR_DOMAIN;

    private static TestServer server;
    private static PostfixPeer postfix;
    private static int injectPort;

    @BeforeAll
    static void start() throws Exception {
        PostfixPeer.require();
        Path base = Files.createTempDirectory("mss-postfix-");
        Path pkiDirectory = base.resolve("pki");
        TestPki pki = TestPki.generate();
        pki.writeTo(pkiDirectory);
        IssuedCertificate ours = pki.issue("CN=mx." + OUR_DOMAIN + ",OU=300000000011111,O=OPERATEUR A,C=FR");
        IssuedCertificate theirs = pki.issue("CN=mx." + POSTFIX_DOMAIN + ",OU=300000000044444,O=OPERATEUR POSTFIX,C=FR");
        pki.writeIdentity(pkiDirectory, "ours", ours, "x".toCharArray());
        pki.writeIdentity(pkiDirectory, "postfix", theirs, "x".toCharArray());
        // Postfix's smtp client reads its key after dropping privileges (test-only key)
        Files.setPosixFilePermissions(pkiDirectory, java.nio.file.attribute.PosixFilePermissions.fromString("rwxr-xr-x"));
        Files.setPosixFilePermissions(pkiDirectory.resolve("postfix.key.pem"),
            java.nio.file.attribute.PosixFilePermissions.fromString("rw-r--r--"));
        Path list = pkiDirectory.resolve("liste-blanche.xml");
        Files.writeString(list, ListeBlancheWriter.write(List.of(
            new ListedPair(OUR_DOMAIN, ours.certificate().getSubjectX500Principal().getName(), "us"),
            new ListedPair(POSTFIX_DOMAIN, theirs.certificate().getSubjectX500Principal().getName(), "postfix")),
            Instant.now(), true));
        int mx = freePort();
        int postfixTls = freePort();
        injectPort = freePort();
        postfix = new PostfixPeer(base.resolve("postfix"), POSTFIX_DOMAIN, postfixTls, injectPort, mx,
            pkiDirectory.resolve("postfix.chain.pem"), pkiDirectory.resolve("postfix.key.pem"),
            pkiDirectory.resolve("ca-chain.pem"));
        Map<String, String> properties = new java.util.HashMap<>(Map.of(
            "mss.demo.domain", OUR_DOMAIN,
            "mss.smtp.mx.port", String.valueOf(mx),
            "mss.tls.certificate", pkiDirectory.resolve("ours.chain.pem").toString(),
            "mss.tls.privateKey", pkiDirectory.resolve("ours.key.pem").toString(),
            "mss.trust.roots", pkiDirectory.resolve("trust-roots.pem").toString(),
            "mss.trust.list", list.toString(),
            "mss.trust.crlFiles", pkiDirectory.resolve("crl.pem").toString(),
            "mss.outbound.routes", POSTFIX_DOMAIN + "=127.0.0.1:" + postfixTls,
            "mss.outbound.delays", "PT1S",
            "mss.outbound.maxAttempts", "3"));
        // no TLS session kept between the tests: the DSN tests change what Postfix announces in between
        properties.put("mss.outbound.maxIdle", "PT0.1S");
        properties.put("mss.helo.name", "mx." + OUR_DOMAIN);
        server = TestServer.start(base.resolve("server"), properties);
    }

    @AfterAll
    static void stop() throws Exception {
        if (postfix != null) {
            postfix.close();
        }
        if (server != null) {
            server.close();
        }
    }

    @Test
    @Order(1)
    void postfixRelaysIntoOurMxWithItsClientCertificate() throws Exception {
        String subject = "from-postfix-" + UUID.randomUUID();
        inject("dr.p@" + POSTFIX_DOMAIN, BRUNO, subject);
        await().atMost(Duration.ofSeconds(60)).untilAsserted(() -> assertThat(count(BRUNO, subject)).isEqualTo(1));
        assertThat(postfix.log()).contains("TLS connection established to 127.0.0.1").contains("status=sent");
    }

    @Test
    @Order(2)
    void weDeliverToPostfixWhichRequiresOurClientCertificate() throws Exception {
        MailClient client = new MailClient(server);
        String subject = "to-postfix-" + UUID.randomUUID();
        client.submit(ALICE, client.newMessage(ALICE, "dr.p@" + POSTFIX_DOMAIN, subject, "Bonjour Postfix"));
        await().atMost(Duration.ofSeconds(60)).untilAsserted(() ->
            assertThat(postfix.delivered()).anySatisfy(message -> assertThat(message).contains(subject)));
        assertThat(postfix.log()).containsPattern("TLS connection established from .*127\\.0\\.0\\.1");
    }

    /**
     * RFC 3461 §5.2.1: a peer that announces DSN gets NOTIFY and ORCPT passed on and reports the delivery itself;
     * we send no "relayed" DSN then. Postfix's own "delivered" DSN comes back to the sender through our MX.
     */
    @Test
    @Order(3)
    void aSuccessRequestToAPeerSupportingDsnIsPassedOnAndThePeerReportsTheDelivery() throws Exception {
        MailClient client = new MailClient(server);
        String subject = "notify-postfix-" + UUID.randomUUID();
        String recipient = "dr.p@" + POSTFIX_DOMAIN;
        client.submitWithDsn(ALICE, recipient, "NOTIFY=SUCCESS ORCPT=rfc822;" + recipient,
            "From: " + ALICE + "\r\nTo: " + recipient + "\r\nSubject: " + subject + "\r\n\r\nAvec accuse de remise");
        await().atMost(Duration.ofSeconds(60)).untilAsserted(() ->
            assertThat(postfix.delivered()).anySatisfy(message -> assertThat(message).contains(subject)));
        // Postfix got NOTIFY=SUCCESS from us: it writes the success notice itself
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() ->
            assertThat(postfix.log()).contains("sender delivery status notification"));

        byte[] dsn = await().atMost(Duration.ofSeconds(60)).ignoreExceptions()
            .until(() -> reports(ALICE, subject), found -> !found.isEmpty()).get(0);
        com.fasterxml.jackson.databind.JsonNode report = StrictDsnChecker.check(dsn);
        assertThat(report.path("perMessage").path("reporting-mta").asText()).isEqualTo("dns; mx." + POSTFIX_DOMAIN);
        assertThat(report.path("recipients").get(0).path("action").asText()).isEqualTo("delivered");
        // and nothing from us: wait until the outbound delivery has been processed, then look again
        await().during(Duration.ofSeconds(3)).atMost(Duration.ofSeconds(10)).untilAsserted(() ->
            assertThat(reports(ALICE, subject)).hasSize(1));
    }

    /**
     * RFC 3461 §5.2.2: a peer that does not announce DSN cannot be given NOTIFY; a sender who asked NOTIFY=SUCCESS
     * gets a "relayed" DSN from us when the peer accepted the message.
     */
    @Test
    @Order(4)
    void aSuccessRequestToAPeerWithoutDsnGetsARelayedDsnFromUs() throws Exception {
        postfix.withoutDsn();
        MailClient client = new MailClient(server);
        String subject = "notify-relayed-" + UUID.randomUUID();
        String recipient = "dr.q@" + POSTFIX_DOMAIN;
        client.submitWithDsn(ALICE, recipient, "NOTIFY=SUCCESS,FAILURE ORCPT=rfc822;" + recipient,
            "From: " + ALICE + "\r\nTo: " + recipient + "\r\nSubject: " + subject + "\r\n\r\nSans DSN en face");
        await().atMost(Duration.ofSeconds(60)).untilAsserted(() ->
            assertThat(postfix.delivered()).anySatisfy(message -> assertThat(message).contains(subject)));

        byte[] dsn = await().atMost(Duration.ofSeconds(60)).ignoreExceptions()
            .until(() -> reports(ALICE, subject), found -> !found.isEmpty()).get(0);
        com.fasterxml.jackson.databind.JsonNode report = StrictDsnChecker.check(dsn);
        assertThat(report.path("perMessage").path("reporting-mta").asText()).isEqualTo("dns; mx." + OUR_DOMAIN);
        com.fasterxml.jackson.databind.JsonNode relayed = report.path("recipients").get(0);
        assertThat(relayed.path("action").asText()).isEqualTo("relayed");
        assertThat(relayed.path("status").asText()).isEqualTo("2.0.0");
        assertThat(relayed.path("final-recipient").asText()).isEqualTo("rfc822; " + recipient);
        assertThat(relayed.path("original-recipient").asText()).isEqualTo("rfc822; " + recipient);
    }

    @Test
    @Order(5)
    void postfixWithoutAClientCertificateIsRefused() throws Exception {
        postfix.withoutClientCertificate();
        String subject = "no-cert-" + UUID.randomUUID();
        inject("dr.p@" + POSTFIX_DOMAIN, BRUNO, subject);
        await().atMost(Duration.ofSeconds(60)).untilAsserted(() ->
            assertThat(postfix.log()).contains("certificate required by the MSSante trust space"));
        assertThat(count(BRUNO, subject)).isZero();
    }

    private static void inject(String from, String to, String subject) throws IOException {
        try (SmtpDialogue smtp = SmtpDialogue.connect(injectPort)) {
            assertThat(smtp.reply()).startsWith("220");
            smtp.command("EHLO injector.test");
            assertThat(smtp.command("MAIL FROM:<" + from + ">")).startsWith("250");
            assertThat(smtp.command("RCPT TO:<" + to + ">")).startsWith("250");
            assertThat(smtp.command("DATA")).startsWith("354");
            assertThat(smtp.command("From: " + from + "\r\nTo: " + to + "\r\nSubject: " + subject + "\r\n\r\nvia postfix\r\n."))
                .startsWith("250");
            smtp.command("QUIT");
        }
    }

    /** The delivery reports in {@code user}'s INBOX about the message with this subject. */
    private static List<byte[]> reports(String user, String subject) throws Exception {
        try (Store store = new MailClient(server).imap(user)) {
            Folder inbox = store.getFolder("INBOX");
            inbox.open(Folder.READ_ONLY);
            List<byte[]> found = new java.util.ArrayList<>();
            for (javax.mail.Message message : inbox.getMessages()) {
                java.io.ByteArrayOutputStream raw = new java.io.ByteArrayOutputStream();
                message.writeTo(raw);
                if (raw.toString(java.nio.charset.StandardCharsets.ISO_8859_1).contains(subject)
                    && StrictDsnChecker.isDeliveryReport(raw.toByteArray())) {
                    found.add(raw.toByteArray());
                }
            }
            inbox.close(false);
            return found;
        }
    }

    private static int count(String user, String subject) throws Exception {
        try (Store store = new MailClient(server).imap(user)) {
            Folder inbox = store.getFolder("INBOX");
            inbox.open(Folder.READ_ONLY);
            int found = inbox.search(new SubjectTerm(subject)).length;
            inbox.close(false);
            return found;
        }
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }
}
