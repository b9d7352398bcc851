package fr.mssante.operator.delivery;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;

import javax.mail.Session;
import javax.mail.internet.InternetAddress;
import javax.mail.internet.MimeMessage;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import fr.mssante.operator.trust.policy.PolicyDecision;
import fr.mssante.operator.trust.policy.PolicyReason;
import fr.mssante.operator.trust.testpki.IssuedCertificate;
import fr.mssante.operator.trust.testpki.TestPki;

/**
 * Delivery to another operator against a real SMTP peer in this JVM (STARTTLS, certificates from a test PKI generated
 * here): the trust decisions before and after the handshake, our client certificate, DSN parameters passed on only
 * to a peer that announces DSN, per-recipient outcomes, and TLS sessions reused across mails.
 */
class OperatorDeliveryTest {
    private static final String PEER_DOMAIN = "peer.example";
    private static final String OUR_DN = "CN=mx.ours.example,O=OURS,C=FR";
    private static final String PEER_DN = "CN=mx.peer.example,O=PEER,C=FR";
    private static TestPki pki;
    private static IssuedCertificate peerIdentity;

    @TempDir
    static Path dir;

    private final List<AutoCloseable> closing = new ArrayList<>();
    private final List<String> peerChecks = new ArrayList<>();

    @BeforeAll
    static void pki() throws Exception {
        pki = TestPki.builder().keySize(2048).build();
        peerIdentity = pki.issue(PEER_DN);
        pki.writeIdentity(dir, "ours", pki.issue(OUR_DN), "x".toCharArray());
    }

    @AfterEach
    void close() throws Exception {
        for (AutoCloseable resource : closing) {
            resource.close();
        }
    }

    @Test
    void deliversOverStartTlsWithOurCertificateAndPassesDsnParametersOn() throws Exception {
        TinySmtpPeer peer = peer(true, true, address -> "250 2.1.5 ok");
        OperatorDelivery delivery = delivery(peer, listedTrust());

        DeliveryResult result = delivery.deliver(mail(List.of("bruno@peer.example"), Optional.of("HDRS"), Optional.of("env-1"),
            Map.of("bruno@peer.example", new OutboundMail.RecipientDsn(List.of("SUCCESS", "FAILURE"), Optional.of("bruno@peer.example")))));

        assertThat(result.delivered()).containsExactly("bruno@peer.example");
        assertThat(result.transientFailures()).isEmpty();
        assertThat(result.permanentFailures()).isEmpty();
        assertThat(result.relayedWithoutDsn()).as("the peer announced DSN: it notifies itself").isEmpty();
        assertThat(peer.clientCertificates).containsExactly(OUR_DN);
        assertThat(peer.commands).contains("STARTTLS", "MAIL FROM:<alice@ours.example> SIZE=" + size() + " RET=HDRS ENVID=env-1",
            "RCPT TO:<bruno@peer.example> NOTIFY=SUCCESS,FAILURE ORCPT=rfc822;bruno@peer.example");
        assertThat(peer.commands.indexOf("STARTTLS")).isLessThan(indexOfPrefix(peer.commands, "MAIL FROM"));
        assertThat(peer.messages).singleElement().asString().contains("Subject: compte rendu");
        assertThat(peerChecks).containsExactly("domain " + PEER_DOMAIN, "peer " + PEER_DOMAIN + " " + PEER_DN);
    }

    @Test
    void aPeerWithoutDsnGetsNoDsnParametersAndTheSuccessNoticeIsOurs() throws Exception {
        TinySmtpPeer peer = peer(true, false, address -> "250 2.1.5 ok");
        OperatorDelivery delivery = delivery(peer, listedTrust());

        DeliveryResult result = delivery.deliver(mail(List.of("bruno@peer.example"), Optional.of("FULL"), Optional.of("env-2"),
            Map.of("bruno@peer.example", new OutboundMail.RecipientDsn(List.of("SUCCESS"), Optional.empty()))));

        assertThat(result.delivered()).containsExactly("bruno@peer.example");
        assertThat(result.relayedWithoutDsn()).containsExactly("bruno@peer.example");
        assertThat(peer.commands).contains("MAIL FROM:<alice@ours.example> SIZE=" + size(), "RCPT TO:<bruno@peer.example>");
        assertThat(peer.commands).noneMatch(command -> command.contains("NOTIFY") || command.contains("RET=") || command.contains("ENVID"));
    }

    @Test
    void anUnlistedDomainFailsPermanentlyWithoutAnyConnection() throws Exception {
        TinySmtpPeer peer = peer(true, true, address -> "250 2.1.5 ok");
        OutboundTrust unlisted = trust(new PolicyDecision(false, PolicyReason.DOMAIN_NOT_LISTED, 550, "5.7.1",
            "domain peer.example not in the liste blanche"), accepted());
        OperatorDelivery delivery = delivery(peer, unlisted);

        DeliveryResult result = delivery.deliver(mail(List.of("bruno@peer.example")));

        assertThat(result.delivered()).isEmpty();
        assertThat(result.permanentFailures()).containsOnlyKeys("bruno@peer.example");
        assertThat(result.permanentFailures().get("bruno@peer.example").toString())
            .isEqualTo("550 5.7.1 domain peer.example not in the liste blanche");
        assertThat(peer.sessions).hasValue(0);
    }

    @Test
    void aPeerWhoseCertificateIsRefusedGetsNoMailAndTheAttemptIsRetried() throws Exception {
        TinySmtpPeer peer = peer(true, true, address -> "250 2.1.5 ok");
        OutboundTrust refusing = trust(accepted(), new PolicyDecision(false, PolicyReason.DN_NOT_LISTED, 550, "5.7.1",
            "certificate DN not listed for domain peer.example"));
        OperatorDelivery delivery = delivery(peer, refusing);

        DeliveryResult result = delivery.deliver(mail(List.of("bruno@peer.example")));

        assertThat(result.delivered()).isEmpty();
        SmtpReply reply = result.transientFailures().get("bruno@peer.example");
        assertThat(reply.code()).isEqualTo(450);
        assertThat(reply.text()).startsWith("4.7.1 ").contains("certificate DN not listed for domain peer.example");
        assertThat(peer.commands).noneMatch(command -> command.startsWith("MAIL"));
    }

    @Test
    void aPeerWithoutStartTlsGetsNothingInClear() throws Exception {
        TinySmtpPeer peer = peer(false, true, address -> "250 2.1.5 ok");
        OperatorDelivery delivery = delivery(peer, listedTrust());

        DeliveryResult result = delivery.deliver(mail(List.of("bruno@peer.example")));

        SmtpReply reply = result.transientFailures().get("bruno@peer.example");
        assertThat(reply.code()).isEqualTo(421);
        assertThat(reply.text()).contains("does not offer STARTTLS");
        assertThat(peer.commands).noneMatch(command -> command.startsWith("MAIL"));
        assertThat(peer.messages).isEmpty();
    }

    @Test
    void eachRecipientGetsItsOwnOutcome() throws Exception {
        TinySmtpPeer peer = peer(true, true, address -> switch (address) {
            case "unknown@peer.example" -> "550 5.1.1 no such mailbox";
            case "full@peer.example" -> "452 4.2.2 mailbox full";
            default -> "250 2.1.5 ok";
        });
        OperatorDelivery delivery = delivery(peer, listedTrust());

        DeliveryResult result = delivery.deliver(mail(List.of("bruno@peer.example", "unknown@peer.example", "full@peer.example")));

        assertThat(result.delivered()).containsExactly("bruno@peer.example");
        assertThat(result.permanentFailures()).containsOnlyKeys("unknown@peer.example");
        assertThat(result.permanentFailures().get("unknown@peer.example").remoteMta()).contains("127.0.0.1");
        assertThat(result.transientFailures()).containsOnlyKeys("full@peer.example");
        assertThat(peer.messages).hasSize(1);
    }

    @Test
    void theTlsSessionIsReusedForTheNextMail() throws Exception {
        TinySmtpPeer peer = peer(true, true, address -> "250 2.1.5 ok");
        OperatorDelivery delivery = delivery(peer, listedTrust());

        delivery.deliver(mail(List.of("bruno@peer.example")));
        delivery.deliver(mail(List.of("claire@peer.example")));
        delivery.deliver(mail(List.of("denis@peer.example")));

        assertThat(peer.sessions).hasValue(1);
        assertThat(peer.messages).hasSize(3);
        assertThat(delivery.statistics()).isEqualTo(new OutboundStatistics(1, 3));
        assertThat(delivery.statistics().messagesPerHandshake()).isEqualTo(3.0);
    }

    @Test
    void aDomainWithoutStaticRouteIsDeliveredToItsMxAndAFailedLookupIsTransient() throws Exception {
        List<String> lookedUp = new ArrayList<>();
        OperatorDelivery delivery = new OperatorDelivery(settings(Map.of()), listedTrust(), domain -> {
            lookedUp.add(domain);
            throw new java.io.IOException("SERVFAIL");
        });
        closing.add(delivery);

        DeliveryResult result = delivery.deliver(mail(List.of("bruno@elsewhere.example")));

        assertThat(lookedUp).containsExactly("elsewhere.example");
        SmtpReply reply = result.transientFailures().get("bruno@elsewhere.example");
        assertThat(reply.code()).isEqualTo(451);
        assertThat(reply.text()).isEqualTo("4.4.4 no MX could be reached for elsewhere.example");
    }

    private TinySmtpPeer peer(boolean startTls, boolean dsn, java.util.function.Function<String, String> rcpt) throws Exception {
        TinySmtpPeer peer = new TinySmtpPeer(peerIdentity, List.of(pki.ca(), pki.root()), startTls, dsn, rcpt);
        closing.add(peer);
        return peer;
    }

    private OperatorDelivery delivery(TinySmtpPeer peer, OutboundTrust trust) throws Exception {
        OperatorDelivery delivery = new OperatorDelivery(settings(Map.of(PEER_DOMAIN, peer.route())), trust, domain -> List.of());
        closing.add(delivery);
        return delivery;
    }

    private static OutboundSettings settings(Map<String, Route> routes) {
        return new OutboundSettings(dir.resolve("ours.chain.pem"), dir.resolve("ours.key.pem"), "mx.ours.example", routes,
            Duration.ofSeconds(10), List.of(Duration.ofMinutes(1)), 3, Duration.ofMinutes(5));
    }

    private OutboundTrust listedTrust() {
        return trust(accepted(), accepted());
    }

    private static PolicyDecision accepted() {
        return new PolicyDecision(true, PolicyReason.ACCEPTED, 250, "2.0.0", "listed");
    }

    private OutboundTrust trust(PolicyDecision domain, PolicyDecision peer) {
        return new OutboundTrust() {
            @Override
            public PolicyDecision domain(String recipientDomain) {
                peerChecks.add("domain " + recipientDomain);
                return domain;
            }

            @Override
            public PolicyDecision peer(String recipientDomain, X509Certificate[] peerChain) {
                peerChecks.add("peer " + recipientDomain + " " + peerChain[0].getSubjectX500Principal().getName());
                return peer;
            }
        };
    }

    private static OutboundMail mail(List<String> recipients) throws Exception {
        return mail(recipients, Optional.empty(), Optional.empty(), Map.of());
    }

    private static OutboundMail mail(List<String> recipients, Optional<String> ret, Optional<String> envelopeId,
                                     Map<String, OutboundMail.RecipientDsn> dsn) throws Exception {
        MimeMessage message = new MimeMessage(Session.getInstance(new Properties()));
        message.setFrom(new InternetAddress("alice@ours.example"));
        message.setRecipients(MimeMessage.RecipientType.TO, String.join(",", recipients));
        message.setSubject("compte rendu");
        message.setText("Bonjour,\n.\nune ligne qui commence par un point\n", "UTF-8");
        message.saveChanges();
        return new OutboundMail("alice@ours.example", recipients, size(), message, ret, envelopeId, dsn);
    }

    private static long size() {
        return 1234;
    }

    private static int indexOfPrefix(List<String> lines, String prefix) {
        for (int i = 0; i < lines.size(); i++) {
            if (lines.get(i).startsWith(prefix)) {
                return i;
            }
        }
        return -1;
    }
}
