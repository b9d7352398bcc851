package fr.mssante.operator.trust.policy;

import static org.assertj.core.api.Assertions.assertThat;

import fr.mssante.operator.trust.dn.DistinguishedName;
import fr.mssante.operator.trust.list.TrustList;
import fr.mssante.operator.trust.list.TrustListEntry;
import java.util.List;
import java.util.Set;
import java.util.function.Predicate;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Issue 12 #4: the From:/Sender: of mail from another operator is bound to the certificate that delivered it. */
class MessageOriginPolicyTest {
    private static final DistinguishedName DN_A = DistinguishedName.parse("CN=mx.operateur-a.test,OU=1,O=A,C=FR");
    private static final DistinguishedName DN_B = DistinguishedName.parse("CN=mx.operateur-b.test,OU=2,O=B,C=FR");
    private static final TrustList LIST = TrustList.of(List.of(
            entry("operateur-a.test", DN_A), entry("labo-a.test", DN_A), entry("operateur-b.test", DN_B),
            entry("ours.test", DistinguishedName.parse("CN=mx.ours.test,OU=3,O=US,C=FR"))), null, "", false);
    private static final Predicate<String> OURS = Set.of("ours.test", "localhost")::contains;
    private static final String DSN = "multipart/report; report-type=delivery-status; boundary=\"b;1\"";

    private final MessageOriginPolicy policy = new MessageOriginPolicy();

    private static TrustListEntry entry(String domain, DistinguishedName dn) {
        return new TrustListEntry(domain, dn, "", "", "", null);
    }

    private PolicyDecision check(String envelope, List<String> from, List<String> sender, String contentType) {
        return policy.checkMessage(new MessageOrigin(envelope, 1, from, sender, contentType), DN_A, LIST, OURS);
    }

    @Test
    void ordinaryMailWhoseFromIsListedForTheCertificateIsAccepted() {
        assertThat(check("operateur-a.test", List.of("operateur-a.test"), List.of(), "text/plain").accepted()).isTrue();
        assertThat(check("operateur-a.test", List.of("LABO-A.test"), List.of("operateur-a.test"), "").accepted()).isTrue();
    }

    @Test
    void aFromOfOurOwnDomainIsRefusedWhateverTheEnvelope() {
        PolicyDecision decision = check("", List.of("ours.test"), List.of(), DSN);
        assertThat(decision.accepted()).isFalse();
        assertThat(decision.reason()).isEqualTo(PolicyReason.OWN_DOMAIN_FROM_OUTSIDE);
        assertThat(decision.smtpReply()).startsWith("550 5.7.1 From: domain ours.test is ours");
        assertThat(check("operateur-a.test", List.of("operateur-a.test"), List.of("ours.test"), "").reason())
                .isEqualTo(PolicyReason.OWN_DOMAIN_FROM_OUTSIDE);
    }

    @Test
    void anEnvelopeOfOurOwnDomainIsRefusedAtMailFrom() {
        assertThat(policy.checkEnvelope("Ours.Test.", OURS).reason()).isEqualTo(PolicyReason.OWN_DOMAIN_FROM_OUTSIDE);
        assertThat(policy.checkEnvelope("operateur-a.test", OURS).accepted()).isTrue();
        assertThat(policy.checkEnvelope("", OURS).accepted()).isTrue();
    }

    @Test
    void aFromOfAnotherListedOperatorIsRefused() {
        PolicyDecision decision = check("operateur-a.test", List.of("operateur-b.test"), List.of(), "text/plain");
        assertThat(decision.reason()).isEqualTo(PolicyReason.HEADER_DOMAIN_NOT_LISTED);
        assertThat(decision.smtpReply()).startsWith("550 5.7.1 From: domain operateur-b.test not listed for certificate DN");
        assertThat(check("operateur-a.test", List.of("operateur-a.test"), List.of("operateur-b.test"), "").reason())
                .isEqualTo(PolicyReason.HEADER_DOMAIN_NOT_LISTED);
        assertThat(check("operateur-a.test", List.of("unlisted.test"), List.of(), "").reason())
                .isEqualTo(PolicyReason.HEADER_DOMAIN_NOT_LISTED);
    }

    @Test
    void theNullReversePathCarriesOnlyReports() {
        PolicyDecision plain = check("", List.of("operateur-a.test"), List.of(), "text/plain");
        assertThat(plain.reason()).isEqualTo(PolicyReason.NULL_SENDER_NOT_A_REPORT);
        assertThat(plain.smtpReply()).startsWith("550 5.7.1");
        assertThat(check("", List.of("operateur-a.test"), List.of(), "multipart/report; report-type=spam").reason())
                .isEqualTo(PolicyReason.NULL_SENDER_NOT_A_REPORT);
        assertThat(check("", List.of("operateur-a.test"), List.of(), DSN).accepted()).isTrue();
        assertThat(check("", List.of("operateur-a.test"), List.of(),
                "Multipart/Report;\r\n\treport-type=\"disposition-notification\"").accepted()).isTrue();
    }

    @Test
    void aReportMayComeFromAHostOfAListedDomainButNotFromAnotherOperator() {
        assertThat(check("", List.of("mx.operateur-a.test"), List.of(), DSN).accepted()).isTrue();
        assertThat(check("", List.of("mx.operateur-b.test"), List.of(), DSN).reason())
                .isEqualTo(PolicyReason.HEADER_DOMAIN_NOT_LISTED);
        assertThat(check("operateur-a.test", List.of("mx.operateur-a.test"), List.of(), "text/plain").reason())
                .as("ordinary mail: the exact listed domain only").isEqualTo(PolicyReason.HEADER_DOMAIN_NOT_LISTED);
        assertThat(check("", List.of("evil-operateur-a.test"), List.of(), DSN).reason())
                .isEqualTo(PolicyReason.HEADER_DOMAIN_NOT_LISTED);
    }

    @ParameterizedTest
    @ValueSource(ints = {0, 2})
    void exactlyOneFromFieldIsRequired(int fields) {
        PolicyDecision decision = policy.checkMessage(new MessageOrigin("operateur-a.test", fields,
                fields == 0 ? List.of() : List.of("operateur-a.test", "operateur-a.test"), List.of(), ""), DN_A, LIST, OURS);
        assertThat(decision.reason()).isEqualTo(PolicyReason.HEADER_FROM_INVALID);
    }

    @Test
    void anUnreadableAddressIsRefused() {
        assertThat(check("operateur-a.test", List.of(""), List.of(), "").reason()).isEqualTo(PolicyReason.HEADER_FROM_INVALID);
    }

    @Test
    void withoutAListNothingIsAcceptedForNow() {
        PolicyDecision decision = policy.checkMessage(new MessageOrigin("operateur-a.test", 1, List.of("operateur-a.test"),
                List.of(), ""), DN_A, TrustList.empty(), OURS);
        assertThat(decision.smtpCode()).isEqualTo(451);
    }
}
