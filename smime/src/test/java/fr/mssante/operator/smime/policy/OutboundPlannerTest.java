package fr.mssante.operator.smime.policy;

import static org.assertj.core.api.Assertions.assertThat;

import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Duration;
import java.time.ZoneOffset;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import org.junit.jupiter.api.Test;

import fr.mssante.operator.smime.encrypt.CertificateDirectory;
import fr.mssante.operator.smime.testing.MapKeyStore;
import fr.mssante.operator.smime.testing.TestPki;

class OutboundPlannerTest {
    private static final TestPki PKI = TestPki.create("MSS Test Root");
    private static final TestPki.Issued ALICE = PKI.issue("alice@a.mss.test");
    private static final TestPki.Issued OPERATOR = PKI.issue("operator@mss.test");
    private static final TestPki.Issued BOB = PKI.issue("bob@b.mss.test");
    private static final TestPki.Issued EXPIRED = PKI.issue("carol@b.mss.test", TestPki.NOW.minus(Duration.ofDays(60)),
            TestPki.NOW.minus(Duration.ofDays(1)), false, true);
    private static final Clock CLOCK = Clock.fixed(TestPki.NOW, ZoneOffset.UTC);

    private final Map<PolicyScope, Map<String, PolicySettings>> policies = new HashMap<>();
    private final PolicySource source = (scope, key) -> Optional.ofNullable(policies.getOrDefault(scope, Map.of()).get(key));
    private final Map<String, List<X509Certificate>> certificates = Map.of(
            "bob@b.mss.test", List.of(BOB.certificate()), "carol@b.mss.test", List.of(EXPIRED.certificate()));
    private final CertificateDirectory directory = email -> certificates.getOrDefault(email, List.of());
    private final MapKeyStore keys = new MapKeyStore().put("alice@a.mss.test", ALICE).put("operator", OPERATOR);

    private void policy(PolicyScope scope, String key, SignMode sign, EncryptMode encrypt) {
        policies.computeIfAbsent(scope, s -> new HashMap<>()).put(key, new PolicySettings(sign, encrypt));
    }

    private OutboundPlanner planner() {
        return new OutboundPlanner(new PolicyResolver(source, new PolicySettings(SignMode.NEVER, EncryptMode.NEVER)),
                keys, directory, Optional.of("operator"), CLOCK);
    }

    @Test
    void defaultsApplyWhenNothingIsConfigured() {
        OutboundDecision decision = planner().decide("alice@a.mss.test", List.of("bob@b.mss.test"));

        assertThat(decision.action()).isEqualTo(OutboundDecision.Action.SEND);
        assertThat(decision.sign()).isFalse();
        assertThat(decision.encrypt()).isFalse();
        assertThat(decision.policy().signOrigin()).isEqualTo("default");
    }

    @Test
    void mailboxOverridesDomainWhichOverridesOperator() {
        policy(PolicyScope.OPERATOR, "", SignMode.NEVER, EncryptMode.REQUIRED);
        policy(PolicyScope.DOMAIN, "a.mss.test", SignMode.ALWAYS, EncryptMode.INHERIT);
        policy(PolicyScope.MAILBOX, "alice@a.mss.test", SignMode.INHERIT, EncryptMode.WHEN_POSSIBLE);

        EffectivePolicy policy = new PolicyResolver(source, new PolicySettings(SignMode.NEVER, EncryptMode.NEVER))
                .resolve("Alice@A.mss.test");

        assertThat(policy).isEqualTo(new EffectivePolicy(SignMode.ALWAYS, "domain:a.mss.test",
                EncryptMode.WHEN_POSSIBLE, "mailbox:alice@a.mss.test"));
    }

    @Test
    void signsWithTheMailboxKeyAndEncryptsToRecipientAndSender() {
        policy(PolicyScope.OPERATOR, "", SignMode.ALWAYS, EncryptMode.WHEN_POSSIBLE);

        OutboundDecision decision = planner().decide("alice@a.mss.test", List.of("Bob@b.mss.test"));

        assertThat(decision.sign()).isTrue();
        assertThat(decision.signingKey().orElseThrow().certificate()).isEqualTo(ALICE.certificate());
        assertThat(decision.encryptTo()).containsExactly(BOB.certificate(), ALICE.certificate());
    }

    @Test
    void fallsBackOnTheOperatorKey() {
        policy(PolicyScope.OPERATOR, "", SignMode.ALWAYS, EncryptMode.NEVER);

        OutboundDecision decision = planner().decide("dave@a.mss.test", List.of("bob@b.mss.test"));

        assertThat(decision.signingKey().orElseThrow().certificate()).isEqualTo(OPERATOR.certificate());
    }

    @Test
    void refusesWhenEncryptionIsRequiredAndACertificateIsMissingOrExpired() {
        policy(PolicyScope.DOMAIN, "a.mss.test", SignMode.INHERIT, EncryptMode.REQUIRED);

        OutboundDecision decision = planner().decide("alice@a.mss.test",
                List.of("bob@b.mss.test", "carol@b.mss.test", "zoe@c.mss.test"));

        assertThat(decision.action()).isEqualTo(OutboundDecision.Action.REFUSE);
        assertThat(decision.sign()).isFalse();
        assertThat(decision.encrypt()).isFalse();
        assertThat(decision.withoutCertificate()).containsExactly("carol@b.mss.test", "zoe@c.mss.test");
        assertThat(decision.reason()).hasValueSatisfying(r -> assertThat(r)
                .contains("requires encryption").contains("carol@b.mss.test, zoe@c.mss.test"));
    }

    @Test
    void whenPossibleSendsInClearIfARecipientHasNoCertificate() {
        policy(PolicyScope.OPERATOR, "", SignMode.NEVER, EncryptMode.WHEN_POSSIBLE);

        OutboundDecision decision = planner().decide("alice@a.mss.test", List.of("bob@b.mss.test", "zoe@c.mss.test"));

        assertThat(decision.action()).isEqualTo(OutboundDecision.Action.SEND);
        assertThat(decision.encrypt()).isFalse();
        assertThat(decision.withoutCertificate()).containsExactly("zoe@c.mss.test");
    }

    @Test
    void refusesToSignWithoutAnyKey() {
        policy(PolicyScope.MAILBOX, "dave@a.mss.test", SignMode.ALWAYS, EncryptMode.NEVER);
        OutboundPlanner noOperatorKey = new OutboundPlanner(
                new PolicyResolver(source, new PolicySettings(SignMode.NEVER, EncryptMode.NEVER)), keys, directory, Optional.empty(), CLOCK);

        OutboundDecision decision = noOperatorKey.decide("dave@a.mss.test", List.of("bob@b.mss.test"));

        assertThat(decision.action()).isEqualTo(OutboundDecision.Action.REFUSE);
        assertThat(decision.reason()).hasValueSatisfying(r -> assertThat(r).contains("requires a signature"));
    }

    @Test
    void storeFailureAsksForARetry() {
        OutboundPlanner broken = new OutboundPlanner(new PolicyResolver((scope, key) -> {
            throw new IllegalStateException("db down");
        }, new PolicySettings(SignMode.NEVER, EncryptMode.NEVER)), keys, directory, Optional.empty(), CLOCK);

        assertThat(broken.decide("alice@a.mss.test", List.of("bob@b.mss.test")).action()).isEqualTo(OutboundDecision.Action.RETRY);
    }
}
