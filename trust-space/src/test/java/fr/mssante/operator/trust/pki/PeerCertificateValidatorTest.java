package fr.mssante.operator.trust.pki;

import static org.assertj.core.api.Assertions.assertThat;

import fr.mssante.operator.trust.testpki.IssuedCertificate;
import fr.mssante.operator.trust.testpki.TestPki;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import fr.mssante.operator.testsupport.MutableClock;

class PeerCertificateValidatorTest {
    private static final Instant NOW = Instant.parse("2026-11-23T12:00:00Z");
    private static final String DN = "CN=mx.op.test,OU=300000000099622,O=GIP - TEST,ST=Paris (75),C=FR";
    private static RevocationServer server;
    private static TestPki pki;
    private static IssuedCertificate valid;
    private static IssuedCertificate revoked;
    private static IssuedCertificate expired;
    private static IssuedCertificate future;
    private static IssuedCertificate foreign;

    private final MutableClock clock = new MutableClock(NOW);
    private final JdkHttpFetcher http = new JdkHttpFetcher(Duration.ofSeconds(5), 1 << 20);

    @BeforeAll
    static void pki() throws Exception {
        server = new RevocationServer();
        pki = TestPki.builder().clock(java.time.Clock.fixed(NOW, java.time.ZoneOffset.UTC))
                .crlUrl(server.uri("/crl")).ocspUrl(server.uri("/ocsp")).build();
        server.pki.set(pki);
        valid = pki.issue(DN);
        revoked = pki.issue(DN);
        pki.revoke(revoked.certificate(), NOW.minus(Duration.ofDays(1)));
        expired = pki.issue(DN, NOW.minus(Duration.ofDays(400)), NOW.minus(Duration.ofDays(30)));
        future = pki.issue(DN, NOW.plus(Duration.ofDays(3)), NOW.plus(Duration.ofDays(300)));
        foreign = pki.issueForeign(DN);
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    private PeerCertificateValidator validator(PeerValidationConfig config) {
        return new PeerCertificateValidator(config, clock, http);
    }

    private PeerValidationConfig online() {
        return PeerValidationConfig.defaults(List.of(pki.root()));
    }

    @Test
    void acceptsAValidChainCheckedByCrlAndOcsp() {
        PeerValidationResult r = validator(online()).validate(valid.chainArray(), Purpose.TLS_CLIENT);

        assertThat(r.accepted()).isTrue();
        assertThat(r.reason()).isNull();
        assertThat(r.warnings()).isEmpty();
        assertThat(r.subject()).isEqualTo(valid.subject());
        assertThat(server.crlRequests.get()).isPositive();
        assertThat(server.ocspRequests.get()).isPositive();
    }

    @Test
    void refusesARevokedCertificateByCrl() {
        PeerValidationResult r = validator(online().withOcsp(false))
                .validate(revoked.chainArray(), Purpose.TLS_CLIENT);

        assertThat(r.reason()).isEqualTo(RefusalReason.REVOKED);
        assertThat(r.detail()).contains("revoked on");
    }

    @Test
    void refusesARevokedCertificateByOcsp() {
        PeerValidationResult r = validator(online().withFetchCrls(false))
                .validate(revoked.chainArray(), Purpose.TLS_SERVER);

        assertThat(r.accepted()).isFalse();
        assertThat(r.reason()).isEqualTo(RefusalReason.REVOKED);
    }

    @Test
    void refusesByConfiguredCrlFileWithoutNetwork(@TempDir Path dir) throws Exception {
        Path crl = dir.resolve("crl.pem");
        Files.writeString(crl, Pem.encode("X509 CRL", pki.crl().getEncoded()));
        PeerValidationConfig offline = online().withFetchCrls(false).withOcsp(false).withCrlFiles(List.of(crl));

        assertThat(validator(offline).validate(revoked.chainArray(), Purpose.ANY).reason())
                .isEqualTo(RefusalReason.REVOKED);
        assertThat(validator(offline).validate(valid.chainArray(), Purpose.ANY).accepted()).isTrue();
    }

    @Test
    void aChainValidatedBeforeIsStillCheckedForRevocationAndDatesEachTime(@TempDir Path dir) throws Exception {
        // the validator remembers the path built for a chain (the costly part); revocation and dates stay per call
        IssuedCertificate later = pki.issue(DN);
        Path crl = dir.resolve("crl.pem");
        Files.writeString(crl, Pem.encode("X509 CRL", pki.crl().getEncoded()));
        PeerCertificateValidator v = validator(online().withFetchCrls(false).withOcsp(false).withCrlFiles(List.of(crl)));
        assertThat(v.validate(later.chainArray(), Purpose.ANY).accepted()).isTrue();
        assertThat(v.validate(later.chainArray(), Purpose.ANY).accepted()).isTrue();

        pki.revoke(later.certificate(), NOW);
        Files.writeString(crl, Pem.encode("X509 CRL", pki.crl().getEncoded()));
        v.reloadCrlFiles();
        assertThat(v.validate(later.chainArray(), Purpose.ANY).reason()).isEqualTo(RefusalReason.REVOKED);

        assertThat(v.validate(valid.chainArray(), Purpose.ANY).accepted()).isTrue();
        clock.set(valid.certificate().getNotAfter().toInstant().plus(Duration.ofDays(1)));
        assertThat(v.validate(valid.chainArray(), Purpose.ANY).reason()).isEqualTo(RefusalReason.EXPIRED);
    }

    @Test
    void refusesExpiredAndNotYetValidCertificates() {
        PeerCertificateValidator v = validator(online());

        assertThat(v.validate(expired.chainArray(), Purpose.TLS_CLIENT).reason()).isEqualTo(RefusalReason.EXPIRED);
        assertThat(v.validate(future.chainArray(), Purpose.TLS_CLIENT).reason())
                .isEqualTo(RefusalReason.NOT_YET_VALID);
    }

    @Test
    void datesAreCheckedAtTheInjectedClock() {
        clock.set(valid.certificate().getNotAfter().toInstant().plus(Duration.ofDays(1)));

        PeerValidationResult r = validator(online()).validate(valid.chainArray(), Purpose.TLS_CLIENT);

        assertThat(r.reason()).isEqualTo(RefusalReason.EXPIRED);
        assertThat(r.detail()).contains("expired on");
    }

    @Test
    void refusesAForeignCaAndAChainMissingItsIntermediate() {
        PeerCertificateValidator v = validator(online());

        assertThat(v.validate(foreign.chainArray(), Purpose.TLS_CLIENT).reason()).isEqualTo(RefusalReason.UNKNOWN_CA);
        assertThat(v.validate(new X509Certificate[] {valid.certificate()}, Purpose.TLS_CLIENT).reason())
                .isEqualTo(RefusalReason.UNKNOWN_CA);
    }

    @Test
    void acceptsAForeignChainOnlyWhenItsRootIsConfigured() {
        PeerValidationConfig config = new PeerValidationConfig(List.of(pki.root(), pki.foreignRoot()), List.of(),
                true, true, true, Duration.ofHours(1));

        PeerValidationResult r = validator(config).validate(foreign.chainArray(), Purpose.TLS_CLIENT);

        assertThat(r.accepted()).isTrue();
        assertThat(r.warnings()).singleElement().asString().contains("soft-fail");
    }

    @Test
    void refusesWhenNoCertificateIsPresented() {
        PeerCertificateValidator v = validator(online());

        assertThat(v.validate(null, Purpose.TLS_CLIENT).reason()).isEqualTo(RefusalReason.NO_CERTIFICATE);
        assertThat(v.validate(new X509Certificate[0], Purpose.TLS_CLIENT).reason())
                .isEqualTo(RefusalReason.NO_CERTIFICATE);
    }

    @Test
    void unreachableRevocationSourcesFailHardOrSoft() {
        TestPki unreachable = TestPki.builder().clock(java.time.Clock.fixed(NOW, java.time.ZoneOffset.UTC))
                .crlUrl(URI.create("http://127.0.0.1:9/crl"))
                .ocspUrl(URI.create("http://127.0.0.1:9/ocsp")).build();
        IssuedCertificate cert = unreachable.issue(DN);
        PeerValidationConfig hard = PeerValidationConfig.defaults(List.of(unreachable.root()));

        PeerValidationResult refused = validator(hard).validate(cert.chainArray(), Purpose.TLS_CLIENT);
        PeerValidationResult soft = validator(hard.withSoftFail(true)).validate(cert.chainArray(), Purpose.TLS_CLIENT);

        assertThat(refused.reason()).isEqualTo(RefusalReason.REVOCATION_UNAVAILABLE);
        assertThat(refused.reason().temporary()).isTrue();
        assertThat(soft.accepted()).isTrue();
        assertThat(soft.warnings()).hasSize(1);
    }

    @Test
    void fetchedCrlIsCachedWithinItsLifetime() {
        PeerCertificateValidator v = validator(online().withOcsp(false));
        v.validate(valid.chainArray(), Purpose.TLS_CLIENT);
        int afterFirst = server.crlRequests.get();

        v.validate(valid.chainArray(), Purpose.TLS_CLIENT);
        v.validate(revoked.chainArray(), Purpose.TLS_CLIENT);

        assertThat(server.crlRequests.get()).isEqualTo(afterFirst);
    }

    @Test
    void aStaleCrlFileIsNotEnough(@TempDir Path dir) throws Exception {
        Path crl = dir.resolve("crl.der");
        Files.write(crl, pki.crl().getEncoded());
        PeerValidationConfig offline = online().withFetchCrls(false).withOcsp(false).withCrlFiles(List.of(crl));
        clock.set(NOW.plus(Duration.ofDays(30)));

        PeerValidationResult r = validator(offline).validate(valid.chainArray(), Purpose.TLS_CLIENT);

        assertThat(r.reason()).isEqualTo(RefusalReason.REVOCATION_UNAVAILABLE);
    }
}
