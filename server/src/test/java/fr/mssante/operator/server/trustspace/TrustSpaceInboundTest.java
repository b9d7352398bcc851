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
}
