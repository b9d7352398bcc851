package fr.mssante.operator.server.trustspace;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import javax.net.ssl.SSLContext;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import fr.mssante.operator.extensions.audit.MessageEventLog;
import fr.mssante.operator.server.ListeningPorts;
import fr.mssante.operator.server.devmode.DemoData;
import fr.mssante.operator.server.testing.SmtpDialogue;
import fr.mssante.operator.server.testing.TestServer;
import fr.mssante.operator.trust.testpki.AuditCase;
import fr.mssante.operator.trust.testpki.AuditPeer;
import fr.mssante.operator.trust.testpki.TestPki;

/**
 * The national agency's audit probes against our MX (issue 3, must-show 2): an IGC-Santé-like PKI generated at test
 * time, a liste blanche listing each probe domain with its expected DN, and one SMTP session per audit case. Only the
 * valid probe may send; every other one gets a clear 5xx at MAIL FROM and an audit record.
 */
class TrustSpaceInboundTest {
    private static final String BASE_DOMAIN = "audit.mssante.test";
    private static final String RECIPIENT = "bruno.durand@" + DemoData.DOMAIN;

    private static TestServer server;
    private static List<AuditPeer> peers;

    @BeforeAll
    static void start() throws Exception {
        Path working = Files.createTempDirectory("mss-trust-");
        Path pkiDirectory = working.resolve("pki");
        TestPki pki = TestPki.generate();
        peers = pki.auditPeers(BASE_DOMAIN);
        pki.writeTo(pkiDirectory);
        Path list = pkiDirectory.resolve("liste-blanche.xml");
        Files.writeString(list, pki.listeBlanche(TestPki.listedPairs(peers)));
        server = TestServer.start(working, Map.of(
            "mss.trust.roots", pkiDirectory.resolve("trust-roots.pem").toString(),
            "mss.trust.list", list.toString(),
            "mss.trust.crlFiles", pkiDirectory.resolve("crl.pem").toString()));
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    private static AuditPeer peer(AuditCase auditCase) {
        return peers.stream().filter(peer -> peer.auditCase() == auditCase).findFirst().orElseThrow();
    }

    @ParameterizedTest
    @EnumSource(AuditCase.class)
    void eachAuditProbeGetsTheRightAnswer(AuditCase auditCase) throws Exception {
        AuditPeer peer = peer(auditCase);
        SSLContext tls = server.tlsWithClientCertificate(peer.presented().chainArray(), peer.presented().privateKey());
        try (SmtpDialogue smtp = SmtpDialogue.connect(server.port(ListeningPorts.SMTP_MX))) {
            smtp.reply();
            smtp.command("EHLO mx." + peer.domain());
            assertThat(smtp.startTls(tls)).startsWith("220");
            smtp.command("EHLO mx." + peer.domain());
            String mail = smtp.command("MAIL FROM:<sonde@" + peer.domain() + ">");
            if (auditCase.expectedAccepted()) {
                assertThat(mail).startsWith("250");
                assertThat(smtp.command("RCPT TO:<" + RECIPIENT + ">")).startsWith("250");
                assertThat(smtp.command("DATA")).startsWith("354");
                assertThat(smtp.command("From: sonde@" + peer.domain() + "\r\nTo: " + RECIPIENT
                    + "\r\nSubject: audit " + auditCase + "\r\n\r\nsonde\r\n.")).startsWith("250");
            } else {
                assertThat(mail).as("reply to the %s probe", auditCase).matches("5\\d\\d 5\\.7\\.\\d .+");
                assertThat(new MessageEventLog(server.runtime().database().dataSource()).latest(50))
                    .anySatisfy(event -> {
                        assertThat(event.event()).isEqualTo("TRUST_SPACE_REFUSED");
                        assertThat(event.sender()).contains("sonde@" + peer.domain());
                    });
            }
        }
    }

    @Test
    void mailOverTheTrustSpacesMutualTlsIsTracedAsEsmtps() throws Exception {
        AuditPeer peer = peer(AuditCase.VALID);
        String subject = "Received MX " + java.util.UUID.randomUUID();
        SSLContext tls = server.tlsWithClientCertificate(peer.presented().chainArray(), peer.presented().privateKey());
        try (SmtpDialogue smtp = SmtpDialogue.connect(server.port(ListeningPorts.SMTP_MX))) {
            smtp.reply();
            smtp.command("EHLO mx." + peer.domain());
            assertThat(smtp.startTls(tls)).startsWith("220");
            smtp.command("EHLO mx." + peer.domain());
            assertThat(smtp.command("MAIL FROM:<sonde@" + peer.domain() + ">")).startsWith("250");
            assertThat(smtp.command("RCPT TO:<" + RECIPIENT + ">")).startsWith("250");
            assertThat(smtp.command("DATA")).startsWith("354");
            assertThat(smtp.command("From: sonde@" + peer.domain() + "\r\nTo: " + RECIPIENT + "\r\nSubject: " + subject
                + "\r\n\r\nsonde\r\n.")).startsWith("250");
        }
        fr.mssante.operator.server.testing.MailClient client = new fr.mssante.operator.server.testing.MailClient(server);
        org.awaitility.Awaitility.await().atMost(java.time.Duration.ofSeconds(20)).untilAsserted(() -> {
            try (javax.mail.Store store = client.imap(RECIPIENT)) {
                javax.mail.Folder inbox = store.getFolder("INBOX");
                inbox.open(javax.mail.Folder.READ_ONLY);
                javax.mail.Message[] found = inbox.search(new javax.mail.search.SubjectTerm(subject));
                assertThat(found).hasSize(1);
                assertThat(found[0].getHeader("Received")).hasSize(1).allSatisfy(received ->
                    assertThat(received).contains(" with ESMTPS ").doesNotContain("ESMTPSA"));
                inbox.close(false);
            }
        });
    }

    @Test
    void plaintextIsRefusedAtMailFrom() throws Exception {
        try (SmtpDialogue smtp = SmtpDialogue.connect(server.port(ListeningPorts.SMTP_MX))) {
            smtp.reply();
            assertThat(smtp.command("EHLO mx.plain.test")).contains("STARTTLS");
            assertThat(smtp.command("MAIL FROM:<sonde@" + peer(AuditCase.VALID).domain() + ">")).startsWith("530 5.7.0");
        }
    }

    @Test
    void tlsWithoutAClientCertificateIsRefused() throws Exception {
        try (SmtpDialogue smtp = SmtpDialogue.connect(server.port(ListeningPorts.SMTP_MX))) {
            smtp.reply();
            smtp.command("EHLO mx.nocert.test");
            assertThat(smtp.startTls(server.clientTls())).startsWith("220");
            smtp.command("EHLO mx.nocert.test");
            assertThat(smtp.command("MAIL FROM:<sonde@" + peer(AuditCase.VALID).domain() + ">"))
                .startsWith("550 5.7.1").contains("certificate required");
        }
    }

    @Test
    void aListedCertificateCannotSendForAnotherListedDomain() throws Exception {
        AuditPeer valid = peer(AuditCase.VALID);
        SSLContext tls = server.tlsWithClientCertificate(valid.presented().chainArray(), valid.presented().privateKey());
        try (SmtpDialogue smtp = SmtpDialogue.connect(server.port(ListeningPorts.SMTP_MX))) {
            smtp.reply();
            smtp.command("EHLO mx.test");
            smtp.startTls(tls);
            smtp.command("EHLO mx.test");
            assertThat(smtp.command("MAIL FROM:<x@" + peer(AuditCase.EXPIRED).domain() + ">")).startsWith("550 5.7.1");
            assertThat(smtp.command("MAIL FROM:<x@unlisted-domain.test>")).startsWith("550 5.7.1");
        }
    }

    /** A session of the valid probe up to DATA: the reply to the end of the message (issue 12 #4). */
    private static String deliverAsValidProbe(String mailFrom, String message) throws Exception {
        AuditPeer valid = peer(AuditCase.VALID);
        SSLContext tls = server.tlsWithClientCertificate(valid.presented().chainArray(), valid.presented().privateKey());
        try (SmtpDialogue smtp = SmtpDialogue.connect(server.port(ListeningPorts.SMTP_MX))) {
            smtp.reply();
            smtp.command("EHLO mx." + valid.domain());
            smtp.startTls(tls);
            smtp.command("EHLO mx." + valid.domain());
            assertThat(smtp.command("MAIL FROM:<" + mailFrom + ">")).startsWith("250");
            assertThat(smtp.command("RCPT TO:<" + RECIPIENT + ">")).startsWith("250");
            assertThat(smtp.command("DATA")).startsWith("354");
            return smtp.command(message + "\r\n.");
        }
    }

    private static void assertAudited(String detailPart) throws Exception {
        assertThat(new MessageEventLog(server.runtime().database().dataSource()).latest(50)).anySatisfy(event -> {
            assertThat(event.event()).isEqualTo("TRUST_SPACE_REFUSED");
            assertThat(event.detail()).hasValueSatisfying(detail -> assertThat(detail).contains(detailPart));
            assertThat(event.recipients()).containsExactly(RECIPIENT);
        });
    }

    @Test
    void aNullSenderMessageForgingTheFromOfOneOfOurUsersIsRefusedAndAudited() throws Exception {
        String subject = "forged-" + java.util.UUID.randomUUID();
        String reply = deliverAsValidProbe("", "From: alice.martin@" + DemoData.DOMAIN + "\r\nTo: " + RECIPIENT
            + "\r\nSubject: " + subject + "\r\n\r\nsigned body lifted from an earlier message");
        assertThat(reply).matches("550 5\\.7\\.1 .+");
        assertAudited("NULL_SENDER_NOT_A_REPORT");
    }

    @Test
    void aFromOfOneOfOurUsersIsRefusedEvenInAReport() throws Exception {
        String reply = deliverAsValidProbe("", "From: alice.martin@" + DemoData.DOMAIN + "\r\nTo: " + RECIPIENT
            + "\r\nSubject: report\r\nMIME-Version: 1.0\r\nContent-Type: multipart/report; report-type=delivery-status;"
            + " boundary=\"b1\"\r\n\r\n--b1\r\nContent-Type: text/plain\r\n\r\nx\r\n--b1--");
        assertThat(reply).startsWith("550 5.7.1").contains("is ours");
        assertAudited("OWN_DOMAIN_FROM_OUTSIDE");
    }

    @Test
    void aReversePathOfOurOwnDomainIsRefusedAtMailFrom() throws Exception {
        AuditPeer valid = peer(AuditCase.VALID);
        SSLContext tls = server.tlsWithClientCertificate(valid.presented().chainArray(), valid.presented().privateKey());
        try (SmtpDialogue smtp = SmtpDialogue.connect(server.port(ListeningPorts.SMTP_MX))) {
            smtp.reply();
            smtp.command("EHLO mx.test");
            smtp.startTls(tls);
            smtp.command("EHLO mx.test");
            assertThat(smtp.command("MAIL FROM:<alice.martin@" + DemoData.DOMAIN + ">")).startsWith("550 5.7.1").contains("is ours");
        }
    }

    @Test
    void aFromOfAnotherListedOperatorNotBoundToThePresentedCertificateIsRefused() throws Exception {
        String other = peer(AuditCase.DN_NOT_LISTED).domain();
        String reply = deliverAsValidProbe("sonde@" + peer(AuditCase.VALID).domain(), "From: dr.x@" + other + "\r\nTo: "
            + RECIPIENT + "\r\nSubject: lifted\r\n\r\nx");
        assertThat(reply).startsWith("550 5.7.1").contains("From: domain " + other + " not listed for certificate DN");
        assertAudited("HEADER_DOMAIN_NOT_LISTED");
        String sender = deliverAsValidProbe("sonde@" + peer(AuditCase.VALID).domain(), "From: sonde@" + peer(AuditCase.VALID).domain()
            + "\r\nSender: dr.x@" + other + "\r\nTo: " + RECIPIENT + "\r\nSubject: lifted\r\n\r\nx");
        assertThat(sender).startsWith("550 5.7.1").contains("Sender: domain " + other);
    }

    @Test
    void aDeliveryStatusNotificationWithTheNullReversePathIsAccepted() throws Exception {
        String domain = peer(AuditCase.VALID).domain();
        String reply = deliverAsValidProbe("", "From: MAILER-DAEMON@mx." + domain + "\r\nTo: " + RECIPIENT
            + "\r\nSubject: Undelivered Mail Returned to Sender\r\nMIME-Version: 1.0\r\n"
            + "Content-Type: multipart/report; report-type=delivery-status;\r\n\tboundary=\"b1\"\r\n\r\n"
            + "--b1\r\nContent-Type: text/plain\r\n\r\nNot delivered\r\n"
            + "--b1\r\nContent-Type: message/delivery-status\r\n\r\nReporting-MTA: dns; mx." + domain + "\r\n\r\n"
            + "Final-Recipient: rfc822; dr.y@" + domain + "\r\nAction: failed\r\nStatus: 5.1.1\r\n\r\n--b1--");
        assertThat(reply).startsWith("250");
    }
}
