package fr.mssante.operator.trust.policy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import fr.mssante.operator.trust.list.TrustList;
import fr.mssante.operator.trust.list.TrustListParser;
import fr.mssante.operator.trust.pki.JdkHttpFetcher;
import fr.mssante.operator.trust.pki.Pem;
import fr.mssante.operator.trust.pki.PeerCertificateValidator;
import fr.mssante.operator.trust.pki.PeerValidationConfig;
import fr.mssante.operator.trust.pki.RefusalReason;
import fr.mssante.operator.trust.pki.TrustSpaceTrustManager;
import fr.mssante.operator.trust.testpki.AuditCase;
import fr.mssante.operator.trust.testpki.AuditPeer;
import fr.mssante.operator.trust.testpki.IssuedCertificate;
import fr.mssante.operator.trust.testpki.TestPki;
import java.io.IOException;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.KeyManager;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLHandshakeException;
import javax.net.ssl.SSLServerSocket;
import javax.net.ssl.SSLSession;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.TrustManager;
import javax.net.ssl.X509TrustManager;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import fr.mssante.operator.testsupport.MutableClock;

/** The gate over real TLS sessions (loopback, mutual TLS). */
class TrustSpaceGateTest {
    private static final Instant NOW = Instant.now();
    private static TestPki pki;
    private static List<AuditPeer> peers;
    private static IssuedCertificate server;
    private static PeerCertificateValidator validator;
    private static TrustList list;
    @TempDir
    static Path dir;

    @BeforeAll
    static void setUp() throws Exception {
        pki = TestPki.builder().clock(Clock.fixed(NOW, ZoneOffset.UTC)).build();
        peers = pki.auditPeers("audit.test");
        server = pki.issue("CN=localhost,OU=1,O=OUR MX,C=FR");
        list = new TrustListParser().parse(pki.listeBlanche(TestPki.listedPairs(peers))
                .getBytes(StandardCharsets.UTF_8));
        Path crl = dir.resolve("crl.pem");
        Files.writeString(crl, Pem.encode("X509 CRL", pki.crl().getEncoded()));
        validator = new PeerCertificateValidator(PeerValidationConfig.defaults(List.of(pki.root()))
                .withFetchCrls(false).withOcsp(false).withCrlFiles(List.of(crl)), new MutableClock(NOW),
                new JdkHttpFetcher(Duration.ofSeconds(2), 1 << 20));
    }

    private static AuditPeer peer(AuditCase c) {
        return peers.stream().filter(p -> p.auditCase() == c).findFirst().orElseThrow();
    }

    @Test
    void inboundDecisionFromTheTlsSession() throws Exception {
        TrustSpaceGate gate = new TrustSpaceGate(validator, () -> list, new TrustSpacePolicy());

        SSLSession valid = serverSessionWith(peer(AuditCase.VALID).presented());
        SSLSession revoked = serverSessionWith(peer(AuditCase.REVOKED).presented());
        SSLSession anonymous = serverSessionWith(null);

        assertThat(gate.inbound(peer(AuditCase.VALID).domain(), valid).decision().accepted()).isTrue();
        TrustCheck revokedCheck = gate.inbound(peer(AuditCase.REVOKED).domain(), revoked);
        assertThat(revokedCheck.decision().smtpCode()).isEqualTo(550);
        assertThat(revokedCheck.certificate().reason()).isEqualTo(RefusalReason.REVOKED);
        assertThat(gate.inbound(peer(AuditCase.VALID).domain(), anonymous).decision().text())
                .contains("certificate required");
        assertThat(gate.inbound(peer(AuditCase.VALID).domain(), null).decision().reason())
                .isEqualTo(PolicyReason.NO_TLS);
    }

    @Test
    void outboundTrustManagerAbortsTheHandshakeWithARefusedPeer() throws Exception {
        TrustSpaceTrustManager tm = new TrustSpaceTrustManager(validator, List.of(pki.root()));
        IssuedCertificate revokedMx = peer(AuditCase.REVOKED).presented();

        assertThatThrownBy(() -> clientHandshake(revokedMx, tm)).isInstanceOf(SSLHandshakeException.class);
        assertThat(clientHandshake(peer(AuditCase.VALID).presented(), tm).getPeerCertificates()).hasSize(2);
        assertThat(tm.getAcceptedIssuers()).containsExactly(pki.root());
    }

    /** Accepts a TLS client on loopback (any client chain accepted at TLS level) and returns the server session. */
    private static SSLSession serverSessionWith(IssuedCertificate client) throws Exception {
        SSLContext serverCtx = context(server, new AcceptAll());
        SSLContext clientCtx = context(client, new AcceptAll());
        try (SSLServerSocket ss = (SSLServerSocket) serverCtx.getServerSocketFactory()
                .createServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            ss.setWantClientAuth(true);
            CompletableFuture<SSLSession> accepted = CompletableFuture.supplyAsync(() -> {
                try (SSLSocket s = (SSLSocket) ss.accept()) {
                    s.startHandshake();
                    return s.getSession();
                } catch (IOException e) {
                    throw new IllegalStateException(e);
                }
            });
            try (SSLSocket c = (SSLSocket) clientCtx.getSocketFactory()
                    .createSocket(InetAddress.getLoopbackAddress(), ss.getLocalPort())) {
                c.startHandshake();
                c.getOutputStream().flush();
                return accepted.get(20, TimeUnit.SECONDS);
            }
        }
    }

    /** Connects with the given trust manager to a loopback server presenting {@code serverId}. */
    private static SSLSession clientHandshake(IssuedCertificate serverId, X509TrustManager tm) throws Exception {
        SSLContext serverCtx = context(serverId, new AcceptAll());
        SSLContext clientCtx = SSLContext.getInstance("TLS");
        clientCtx.init(null, new TrustManager[] {tm}, null);
        try (SSLServerSocket ss = (SSLServerSocket) serverCtx.getServerSocketFactory()
                .createServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            CompletableFuture<Void> accepted = CompletableFuture.runAsync(() -> {
                try (SSLSocket s = (SSLSocket) ss.accept()) {
                    s.startHandshake();
                } catch (IOException e) {
                    // the client aborted: expected in refusal cases
                }
            });
            try (SSLSocket c = (SSLSocket) clientCtx.getSocketFactory()
                    .createSocket(InetAddress.getLoopbackAddress(), ss.getLocalPort())) {
                c.startHandshake();
                return c.getSession();
            } finally {
                accepted.get(20, TimeUnit.SECONDS);
            }
        }
    }

    private static SSLContext context(IssuedCertificate id, X509TrustManager tm) throws Exception {
        KeyManager[] kms = null;
        if (id != null) {
            KeyStore ks = KeyStore.getInstance("PKCS12");
            ks.load(null, null);
            ks.setKeyEntry("id", id.privateKey(), new char[0], id.chainArray());
            KeyManagerFactory kmf = KeyManagerFactory.getInstance("PKIX");
            kmf.init(ks, new char[0]);
            kms = kmf.getKeyManagers();
        }
        SSLContext ctx = SSLContext.getInstance("TLS");
        ctx.init(kms, new TrustManager[] {tm}, null);
        return ctx;
    }

    /** Test-only: accepts every chain at TLS level (the gate decides afterwards). */
    private static final class AcceptAll implements X509TrustManager {
        @Override
        public void checkClientTrusted(X509Certificate[] chain, String authType) {
        }

        @Override
        public void checkServerTrusted(X509Certificate[] chain, String authType) {
        }

        @Override
        public X509Certificate[] getAcceptedIssuers() {
            return new X509Certificate[0];
        }
    }
}
