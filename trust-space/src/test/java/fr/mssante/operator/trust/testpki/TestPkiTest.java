package fr.mssante.operator.trust.testpki;

import static org.assertj.core.api.Assertions.assertThat;

import fr.mssante.operator.trust.dn.DistinguishedName;
import fr.mssante.operator.trust.list.TrustList;
import fr.mssante.operator.trust.list.TrustListParser;
import fr.mssante.operator.trust.pki.Pem;
import fr.mssante.operator.testsupport.RequiredTools;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TestPkiTest {
    private static TestPki pki;
    private static List<AuditPeer> peers;
    @TempDir
    static Path dir;

    @BeforeAll
    static void generate() throws IOException {
        pki = TestPki.generate();
        peers = pki.auditPeers("audit.test");
        pki.writeTo(dir);
        for (AuditPeer p : peers) {
            pki.writeIdentity(dir, p.auditCase().prefix(), p.presented(), "changeit".toCharArray());
        }
    }

    private static AuditPeer peer(AuditCase c) {
        return peers.stream().filter(p -> p.auditCase() == c).findFirst().orElseThrow();
    }

    @Test
    void chainsLookLikeIgcSante() {
        X509Certificate leaf = peer(AuditCase.VALID).presented().certificate();

        assertThat(DistinguishedName.of(pki.ca().getSubjectX500Principal()))
                .isEqualTo(DistinguishedName.parse(TestPki.CA_DN));
        assertThat(leaf.getIssuerX500Principal()).isEqualTo(pki.ca().getSubjectX500Principal());
        assertThat(leaf.getBasicConstraints()).isEqualTo(-1);
        assertThat(pki.ca().getBasicConstraints()).isZero();
        assertThat(peer(AuditCase.FOREIGN_CA).presented().certificate().getIssuerX500Principal())
                .isEqualTo(pki.foreignRoot().getSubjectX500Principal());
        assertThat(pki.crl().getRevokedCertificate(peer(AuditCase.REVOKED).presented().certificate())).isNotNull();
        assertThat(pki.crl().getRevokedCertificate(leaf)).isNull();
    }

    @Test
    void writesPemAndPkcs12Files() throws Exception {
        assertThat(Pem.readCertificates(dir.resolve("trust-roots.pem"))).containsExactly(pki.root());
        assertThat(Pem.readCertificates(dir.resolve("ca-chain.pem"))).containsExactly(pki.ca(), pki.root());
        assertThat(Pem.readCrls(dir.resolve("crl.pem"))).hasSize(1);
        assertThat(Pem.readCrls(dir.resolve("crl.der"))).hasSize(1);
        KeyStore p12 = KeyStore.getInstance("PKCS12");
        try (InputStream in = Files.newInputStream(dir.resolve("cert-valide-audit.p12"))) {
            p12.load(in, "changeit".toCharArray());
        }
        assertThat(p12.getCertificateChain("cert-valide-audit")).hasSize(3);
        assertThat(p12.getKey("cert-valide-audit", "changeit".toCharArray())).isNotNull();
        assertThat(Files.readString(dir.resolve("cert-valide-audit.key.pem"))).startsWith("-----BEGIN PRIVATE KEY-----");
    }

    @Test
    void opensslAgreesWithTheAuditCases() throws Exception {
        RequiredTools.require("openssl");

        assertThat(verify("cert-valide-audit", false)).contains(": OK");
        assertThat(verify("cert-valide-audit", true)).contains(": OK");
        assertThat(verify("cert-revoque-audit", true)).contains("certificate revoked");
        assertThat(verify("cert-expire-audit", false)).contains("certificate has expired");
        assertThat(verify("cert-non-igc-audit", false)).contains("verification failed");
        assertThat(run("openssl", "pkcs12", "-in", dir.resolve("cert-valide-audit.p12").toString(),
                "-passin", "pass:changeit", "-nokeys")).contains("BEGIN CERTIFICATE");
    }

    @Test
    void listeBlancheListsTheChosenPairs() throws Exception {
        TrustList list = new TrustListParser().parse(pki.listeBlanche(TestPki.listedPairs(peers))
                .getBytes(StandardCharsets.UTF_8));

        assertThat(list.entryCount()).isEqualTo(AuditCase.values().length);
        assertThat(list.isListed("cert-valide-audit.audit.test", peer(AuditCase.VALID).presented().subject()))
                .isTrue();
        assertThat(list.isListed("cert-no-match-audit.audit.test",
                peer(AuditCase.DN_NOT_LISTED).presented().subject())).isFalse();
    }

    @Test
    void mainWritesADevelopmentPki(@TempDir Path out) throws Exception {
        TestPkiMain.main(new String[] {out.toString(), "--audit-base", "audit.test", "demo.test=mx.demo.test",
            "peer.test=mx.peer.test"});

        TrustList list = new TrustListParser().parse(Files.readAllBytes(out.resolve("liste-blanche.xml")));
        X509Certificate demo = Pem.readCertificates(out.resolve("mx.demo.test.crt.pem")).get(0);

        assertThat(list.entryCount()).isEqualTo(2 + AuditCase.values().length);
        assertThat(list.isListed("demo.test", DistinguishedName.of(demo.getSubjectX500Principal()))).isTrue();
        assertThat(out.resolve("mx.peer.test.p12")).exists();
        assertThat(out.resolve("mx.peer.test.chain.pem")).exists();
        assertThat(out.resolve("audit-cert-revoque-audit.key.pem")).exists();
        X509Certificate revoked = Pem.readCertificates(out.resolve("audit-cert-revoque-audit.crt.pem")).get(0);
        assertThat(Pem.readCrls(out.resolve("crl.pem")).get(0).isRevoked(revoked)).isTrue();
    }

    private static String verify(String name, boolean crlCheck) throws Exception {
        List<String> cmd = new ArrayList<>(List.of("openssl", "verify", "-CAfile",
                dir.resolve("trust-roots.pem").toString(), "-untrusted", dir.resolve(name + ".chain.pem").toString()));
        if (crlCheck) {
            cmd.addAll(List.of("-crl_check", "-CRLfile", dir.resolve("crl.pem").toString()));
        }
        cmd.add(dir.resolve(name + ".crt.pem").toString());
        return run(cmd.toArray(String[]::new));
    }

    private static String run(String... cmd) throws Exception {
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor(30, TimeUnit.SECONDS)).isTrue();
        return out;
    }
}
