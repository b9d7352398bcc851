package fr.mssante.operator.trust.policy;

import static org.assertj.core.api.Assertions.assertThat;

import fr.mssante.operator.trust.dn.DistinguishedName;
import fr.mssante.operator.trust.list.TrustList;
import fr.mssante.operator.trust.list.TrustListParser;
import fr.mssante.operator.trust.pki.JdkHttpFetcher;
import fr.mssante.operator.trust.pki.PeerCertificateValidator;
import fr.mssante.operator.trust.pki.PeerValidationConfig;
import fr.mssante.operator.trust.pki.PeerValidationResult;
import fr.mssante.operator.trust.pki.Pem;
import fr.mssante.operator.trust.pki.Purpose;
import fr.mssante.operator.trust.pki.RefusalReason;
import fr.mssante.operator.trust.testpki.AuditCase;
import fr.mssante.operator.trust.testpki.AuditPeer;
import fr.mssante.operator.trust.testpki.ListedPair;
import fr.mssante.operator.trust.testpki.TestPki;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import fr.mssante.operator.testsupport.MutableClock;

/** The ANS audit probes against the policy, over a generated IGC-Santé-like PKI and a matching liste blanche. */
class TrustSpacePolicyTest {
    private static final Instant NOW = Instant.parse("2026-11-23T12:00:00Z");
    private static final String BASE = "espacedeconfiance.test";
    private static List<AuditPeer> peers;
    private static TrustList list;
    private static PeerCertificateValidator validator;
    private static TestPki pki;
    @TempDir
    static Path dir;

    private final TrustSpacePolicy policy = new TrustSpacePolicy();

    @BeforeAll
    static void setUp() throws Exception {
        pki = TestPki.builder().clock(Clock.fixed(NOW, ZoneOffset.UTC)).build();
        peers = pki.auditPeers(BASE);
        List<ListedPair> pairs = new ArrayList<>(TestPki.listedPairs(peers));
        pairs.add(new ListedPair("bus." + BASE, "CN=bus.mssante.fr,OU=1,O=CAPGEMINI TECHNOLOGY SERVICES,C=FR", ""));
        list = new TrustListParser().parse(pki.listeBlanche(pairs).getBytes(StandardCharsets.UTF_8));
        Path crl = dir.resolve("crl.pem");
        Files.writeString(crl, Pem.encode("X509 CRL", pki.crl().getEncoded()));
        PeerValidationConfig config = PeerValidationConfig.defaults(List.of(pki.root())).withFetchCrls(false)
                .withOcsp(false).withCrlFiles(List.of(crl));
        validator = new PeerCertificateValidator(config, new MutableClock(NOW),
                new JdkHttpFetcher(Duration.ofSeconds(2), 1 << 20));
    }

    static Stream<Arguments> auditCases() {
        return Stream.of(
                Arguments.of(AuditCase.VALID, 250, "2.0.0", "operator listed"),
                Arguments.of(AuditCase.EXPIRED, 550, "5.7.1", "client certificate expired on"),
                Arguments.of(AuditCase.REVOKED, 550, "5.7.1", "client certificate revoked on"),
                Arguments.of(AuditCase.FOREIGN_CA, 550, "5.7.1", "not issued by an accepted authority"),
                Arguments.of(AuditCase.DN_NOT_LISTED, 550, "5.7.1", "not listed for domain cert-no-match-audit"),
                Arguments.of(AuditCase.CN_DIFFERENT_FROM_DN, 550, "5.7.1", "not listed for domain cert-cn-diff"));
    }

    private static AuditPeer peer(AuditCase c) {
        return peers.stream().filter(p -> p.auditCase() == c).findFirst().orElseThrow();
    }

    @ParameterizedTest(name = "{0} -> {1} {2}")
    @MethodSource("auditCases")
    void everyAuditProbeGetsTheRightReply(AuditCase auditCase, int code, String status, String text) {
        AuditPeer peer = peer(auditCase);
        PeerValidationResult cert = validator.validate(peer.presented().chainArray(), Purpose.TLS_CLIENT);

        PolicyDecision d = policy.checkInbound(peer.domain(), true, cert, list);

        assertThat(d.accepted()).isEqualTo(auditCase.expectedAccepted());
        assertThat(d.smtpCode()).isEqualTo(code);
        assertThat(d.enhancedStatus()).isEqualTo(status);
        assertThat(d.text()).contains(text);
        assertThat(d.smtpReply()).startsWith(code + " " + status + " ").doesNotContain("\r", "\n");
    }

    @Test
    void cnDifferentFromDnSharesTheListedCn() {
        AuditPeer peer = peer(AuditCase.CN_DIFFERENT_FROM_DN);

        assertThat(peer.presented().subject().commonName())
                .isEqualTo(DistinguishedName.parse(peer.listedDn()).commonName());
        assertThat(peer.presented().subject()).isNotEqualTo(DistinguishedName.parse(peer.listedDn()));
    }

    @Test
    void withoutTlsTheSenderMustStartTls() {
        PolicyDecision d = policy.checkInbound("sans-tls-audit." + BASE, false, null, list);

        assertThat(d.smtpReply()).isEqualTo("530 5.7.0 Must issue a STARTTLS command first (MSSante trust space)");
        assertThat(d.reason()).isEqualTo(PolicyReason.NO_TLS);
    }

    @Test
    void withoutClientCertificateTheSenderIsRefused() {
        PeerValidationResult none = validator.validate(null, Purpose.TLS_CLIENT);

        PolicyDecision d = policy.checkInbound(peer(AuditCase.VALID).domain(), true, none, list);

        assertThat(d.smtpCode()).isEqualTo(550);
        assertThat(d.smtpReply()).isEqualTo("550 5.7.1 client certificate required by the MSSante trust space");
    }

    @Test
    void unlistedDomainIsRefused() {
        PeerValidationResult cert = validator.validate(peer(AuditCase.VALID).presented().chainArray(),
                Purpose.TLS_CLIENT);

        PolicyDecision d = policy.checkInbound("spam.example", true, cert, list);

        assertThat(d.reason()).isEqualTo(PolicyReason.DOMAIN_NOT_LISTED);
        assertThat(d.smtpReply()).isEqualTo("550 5.7.1 sender domain spam.example not in the MSSante liste blanche");
    }

    @Test
    void nullSenderIsAcceptedFromAListedOperatorOnly() {
        PeerValidationResult listed = validator.validate(peer(AuditCase.VALID).presented().chainArray(),
                Purpose.TLS_CLIENT);
        PeerValidationResult unlisted = validator.validate(peer(AuditCase.DN_NOT_LISTED).presented().chainArray(),
                Purpose.TLS_CLIENT);

        assertThat(policy.checkInbound("", true, listed, list).accepted()).isTrue();
        assertThat(policy.checkInbound(null, true, unlisted, list).reason()).isEqualTo(PolicyReason.DN_NOT_LISTED);
    }

    @Test
    void unavailableRevocationAndMissingListAreTemporary() {
        PeerValidationResult unavailable = PeerValidationResult.refuse(RefusalReason.REVOCATION_UNAVAILABLE,
                "certificate revocation status unavailable for the certificate", null);
        PeerValidationResult ok = validator.validate(peer(AuditCase.VALID).presented().chainArray(),
                Purpose.TLS_CLIENT);
        PeerValidationResult unavailableWithSubject = new PeerValidationResult(false,
                RefusalReason.REVOCATION_UNAVAILABLE, unavailable.detail(), ok.subject(), List.of());

        PolicyDecision revocation = policy.checkInbound(peer(AuditCase.VALID).domain(), true, unavailableWithSubject,
                list);
        PolicyDecision noList = policy.checkInbound(peer(AuditCase.VALID).domain(), true, ok, TrustList.empty());

        assertThat(revocation.smtpCode()).isEqualTo(451);
        assertThat(revocation.permanent()).isFalse();
        assertThat(noList.smtpReply()).isEqualTo("451 4.3.0 MSSante liste blanche not available, try again later");
    }

    @Test
    void outboundGoesOnlyToListedDomainsWithTheListedCertificate() {
        AuditPeer good = peer(AuditCase.VALID);
        PeerValidationResult goodCert = validator.validate(good.presented().chainArray(), Purpose.TLS_SERVER);
        PeerValidationResult otherCert = validator.validate(peer(AuditCase.DN_NOT_LISTED).presented().chainArray(),
                Purpose.TLS_SERVER);
        PeerValidationResult expired = validator.validate(peer(AuditCase.EXPIRED).presented().chainArray(),
                Purpose.TLS_SERVER);

        assertThat(policy.checkOutboundDomain("gmail.com", list).smtpReply())
                .isEqualTo("550 5.7.1 recipient domain gmail.com not in the MSSante liste blanche");
        assertThat(policy.checkOutbound(good.domain(), goodCert, list).accepted()).isTrue();
        PolicyDecision wrongPeer = policy.checkOutbound(good.domain(), otherCert, list);
        assertThat(wrongPeer.permanent()).isTrue();
        assertThat(wrongPeer.text()).contains("peer certificate DN", "not listed for domain " + good.domain());
        assertThat(policy.checkOutbound(good.domain(), expired, list).text()).contains("peer server certificate expired");
    }

    @Test
    void replyTextIsAsciiOnOneLine() {
        PolicyDecision d = new PolicyDecision(false, PolicyReason.DN_NOT_LISTED, 550, "5.7.1",
                "DN ST=Pyrénées (64)\r\nRSET");

        assertThat(d.text()).isEqualTo("DN ST=Pyrenees (64)  RSET");
    }
}
