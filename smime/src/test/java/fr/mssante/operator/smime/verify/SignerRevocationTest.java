package fr.mssante.operator.smime.verify;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

import javax.mail.internet.MimeMessage;

import org.bouncycastle.asn1.ocsp.OCSPObjectIdentifiers;
import org.bouncycastle.asn1.x509.CRLReason;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.Extensions;
import org.bouncycastle.cert.X509CertificateHolder;
import org.bouncycastle.cert.jcajce.JcaX509CertificateHolder;
import org.bouncycastle.cert.ocsp.BasicOCSPResp;
import org.bouncycastle.cert.ocsp.BasicOCSPRespBuilder;
import org.bouncycastle.cert.ocsp.CertificateID;
import org.bouncycastle.cert.ocsp.CertificateStatus;
import org.bouncycastle.cert.ocsp.OCSPReq;
import org.bouncycastle.cert.ocsp.OCSPRespBuilder;
import org.bouncycastle.cert.ocsp.Req;
import org.bouncycastle.cert.ocsp.RespID;
import org.bouncycastle.cert.ocsp.RevokedStatus;
import org.bouncycastle.cert.ocsp.jcajce.JcaBasicOCSPRespBuilder;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;
import org.bouncycastle.operator.jcajce.JcaDigestCalculatorProviderBuilder;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;

import fr.mssante.operator.smime.sign.MessageSigner;
import fr.mssante.operator.smime.sign.SignOptions;
import fr.mssante.operator.smime.testing.TestMessages;
import fr.mssante.operator.smime.testing.TestPki;
import fr.mssante.operator.trust.pki.JdkHttpFetcher;
import fr.mssante.operator.trust.pki.RevocationChecker;

import fr.mssante.operator.testsupport.MutableClock;

/**
 * Issue 12 #7: a signer's revocation comes from its certificate's CRL distribution points and OCSP responder (through
 * the trust space's shared, cached checker), not only from local CRL files; a status that cannot be established is
 * {@code undetermined}, never {@code good}. A test PKI generated here, a CRL and an OCSP responder served by an
 * in-JVM HTTP server, time from an injected clock.
 */
class SignerRevocationTest {
    private static final TestPki PKI = TestPki.create("Revocation Test Root");
    private static final String FROM = "alice@a.mss.test";

    private final MutableClock clock = new MutableClock(TestPki.NOW);
    private final Set<java.security.cert.X509Certificate> revoked = ConcurrentHashMap.newKeySet();
    private final AtomicInteger crlRequests = new AtomicInteger();
    private final AtomicInteger ocspRequests = new AtomicInteger();
    private HttpServer http;
    private SignatureVerifier verifier;

    @BeforeEach
    void start() throws IOException {
        http = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        http.createContext("/ca.crl", exchange -> {
            crlRequests.incrementAndGet();
            Instant now = clock.instant();
            reply(exchange, "application/pkix-crl", encoded(PKI.crl(List.copyOf(revoked), now.minus(Duration.ofMinutes(1)), now.plus(Duration.ofHours(1)))));
        });
        http.createContext("/ocsp", exchange -> {
            ocspRequests.incrementAndGet();
            reply(exchange, "application/ocsp-response", ocspResponse(exchange.getRequestBody().readAllBytes()));
        });
        http.start();
        RevocationChecker checker = new RevocationChecker(List.of(), new JdkHttpFetcher(Duration.ofSeconds(5), 1 << 20),
                true, true, Duration.ofHours(6));
        verifier = new SignatureVerifier(List.of(PKI.ca), RevocationSource.of(checker), RevocationMode.BEST_EFFORT, clock);
    }

    @AfterEach
    void stop() {
        http.stop(0);
    }

    @Test
    void aSignerRevokedInTheCrlOfItsDistributionPointIsRevoked() {
        TestPki.Issued alice = PKI.issue(FROM, List.of(uri("/ca.crl")), List.of());
        revoked.add(alice.certificate());

        VerificationResult result = verifier.verify(signed(alice));

        assertThat(result.status()).isEqualTo(OverallStatus.BAD);
        assertThat(result.signers().get(0).reasons()).containsExactly(FailureReason.REVOKED);
        assertThat(result.headers().values()).containsEntry("X-MSS-SMIME-Status", "bad")
                .containsEntry("X-MSS-SMIME-Reason", "signer-1 revoked");
        assertThat(crlRequests).hasValue(1);
    }

    @Test
    void aSignerRevokedAtItsOcspResponderIsRevoked() {
        TestPki.Issued alice = PKI.issue(FROM, List.of(), List.of(uri("/ocsp")));
        revoked.add(alice.certificate());

        VerificationResult result = verifier.verify(signed(alice));

        assertThat(result.status()).isEqualTo(OverallStatus.BAD);
        assertThat(result.signers().get(0).reasons()).containsExactly(FailureReason.REVOKED);
        assertThat(ocspRequests).hasValue(1);
        assertThat(crlRequests).hasValue(0);
    }

    @Test
    void aSignerWhoseSourcesAreUnreachableIsUndeterminedNeverGood() throws IOException {
        URI closed;
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            closed = URI.create("http://127.0.0.1:" + socket.getLocalPort());
        }
        TestPki.Issued alice = PKI.issue(FROM, List.of(closed.resolve("/ca.crl")), List.of(closed.resolve("/ocsp")));

        VerificationResult result = verifier.verify(signed(alice));

        assertThat(result.status()).isEqualTo(OverallStatus.UNDETERMINED);
        assertThat(result.signers()).singleElement().satisfies(signer -> {
            assertThat(signer.status()).isEqualTo(SignerStatus.UNDETERMINED);
            assertThat(signer.reasons()).containsExactly(FailureReason.REVOCATION_UNDETERMINED);
        });
        assertThat(result.headers().values()).containsEntry("X-MSS-SMIME-Status", "undetermined")
                .containsEntry("X-MSS-SMIME-Reason", "signer-1 revocation-undetermined");
        assertThat(result.headers().values().get("X-MSS-SMIME-Signer-1")).startsWith("status=undetermined;");
        assertThat(result.attributes()).containsEntry("mss.smime.status", "undetermined");
    }

    @Test
    void aSignerWithNoRevocationSourceIsUndetermined() {
        TestPki.Issued alice = PKI.issue(FROM, List.of(), List.of());

        assertThat(verifier.verify(signed(alice)).status()).isEqualTo(OverallStatus.UNDETERMINED);
    }

    @Test
    void aSignerNotRevokedIsGood() {
        TestPki.Issued alice = PKI.issue(FROM, List.of(uri("/ca.crl")), List.of(uri("/ocsp")));
        revoked.add(PKI.issue("someone@a.mss.test").certificate());

        VerificationResult result = verifier.verify(signed(alice));

        assertThat(result.status()).isEqualTo(OverallStatus.GOOD);
        assertThat(result.headers().values()).containsEntry("X-MSS-SMIME-Status", "good");
    }

    @Test
    void aFetchedCrlIsReusedUntilItsNextUpdate() {
        TestPki.Issued alice = PKI.issue(FROM, List.of(uri("/ca.crl")), List.of());
        MimeMessage message = signed(alice);
        assertThat(verifier.verify(message).status()).isEqualTo(OverallStatus.GOOD);
        assertThat(crlRequests).hasValue(1);

        revoked.add(alice.certificate());
        clock.advance(Duration.ofMinutes(30));
        assertThat(verifier.verify(message).status()).as("the cached CRL is still current").isEqualTo(OverallStatus.GOOD);
        assertThat(crlRequests).hasValue(1);

        clock.advance(Duration.ofMinutes(31));
        VerificationResult afterNextUpdate = verifier.verify(message);
        assertThat(afterNextUpdate.status()).isEqualTo(OverallStatus.BAD);
        assertThat(afterNextUpdate.signers().get(0).reasons()).containsExactly(FailureReason.REVOKED);
        assertThat(crlRequests).hasValue(2);
    }

    @Test
    void anOcspAnswerIsReusedUntilItsNextUpdate() {
        TestPki.Issued alice = PKI.issue(FROM, List.of(), List.of(uri("/ocsp")));
        MimeMessage message = signed(alice);
        assertThat(verifier.verify(message).status()).isEqualTo(OverallStatus.GOOD);

        revoked.add(alice.certificate());
        clock.advance(Duration.ofMinutes(30));
        assertThat(verifier.verify(message).status()).isEqualTo(OverallStatus.GOOD);
        assertThat(ocspRequests).hasValue(1);

        clock.advance(Duration.ofMinutes(31));
        assertThat(verifier.verify(message).status()).isEqualTo(OverallStatus.BAD);
        assertThat(ocspRequests).hasValue(2);
    }

    private MimeMessage signed(TestPki.Issued who) {
        return TestMessages.roundTrip(new MessageSigner(clock).sign(TestMessages.text(FROM, "bob@b.mss.test", "Bonjour\r\n"),
                who.entry(FROM), SignOptions.DEFAULT).orElseThrow());
    }

    private URI uri(String path) {
        return URI.create("http://127.0.0.1:" + http.getAddress().getPort() + path);
    }

    /** An OCSP responder: the CA signs, good unless revoked, current for one hour, the request's nonce echoed. */
    private byte[] ocspResponse(byte[] requestDer) throws IOException {
        try {
            Instant now = clock.instant();
            OCSPReq request = new OCSPReq(requestDer);
            BasicOCSPRespBuilder builder = new JcaBasicOCSPRespBuilder(PKI.ca.getPublicKey(),
                    new JcaDigestCalculatorProviderBuilder().build().get(RespID.HASH_SHA1));
            for (Req one : request.getRequestList()) {
                CertificateID id = one.getCertID();
                CertificateStatus status = revoked.stream().anyMatch(c -> c.getSerialNumber().equals(id.getSerialNumber()))
                        ? new RevokedStatus(Date.from(now.minus(Duration.ofMinutes(1))), CRLReason.keyCompromise)
                        : CertificateStatus.GOOD;
                builder.addResponse(id, status, Date.from(now), Date.from(now.plus(Duration.ofHours(1))), null);
            }
            Extension nonce = request.getExtension(OCSPObjectIdentifiers.id_pkix_ocsp_nonce);
            if (nonce != null) {
                builder.setResponseExtensions(new Extensions(nonce));
            }
            BasicOCSPResp basic = builder.build(new JcaContentSignerBuilder("SHA256withRSA").build(PKI.caKeys.getPrivate()),
                    new X509CertificateHolder[] {new JcaX509CertificateHolder(PKI.ca)}, Date.from(now));
            return new OCSPRespBuilder().build(OCSPRespBuilder.SUCCESSFUL, basic).getEncoded();
        } catch (Exception e) {
            throw new IOException(e);
        }
    }

    private static byte[] encoded(java.security.cert.X509CRL crl) throws IOException {
        try {
            return crl.getEncoded();
        } catch (java.security.cert.CRLException e) {
            throw new IOException(e);
        }
    }

    private static void reply(HttpExchange exchange, String type, byte[] body) throws IOException {
        exchange.getResponseHeaders().add("Content-Type", type);
        exchange.sendResponseHeaders(200, body.length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(body);
        }
    }
}
