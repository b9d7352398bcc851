package fr.mssante.operator.dmp.connector.testing;

import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.ExtendedKeyUsage;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.asn1.x509.KeyPurposeId;
import org.bouncycastle.asn1.x509.KeyUsage;
import org.bouncycastle.cert.X509v3CertificateBuilder;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;

import java.io.OutputStream;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Date;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A throw-away IGC-Santé-like PKI generated at each test run (no key is committed): a root, an issuing CA, leaf
 * certificates for the stand-in server (SAN localhost / 127.0.0.1) and for organisations (TLS client + VIHF
 * signature), and a foreign CA outside the trust.
 */
public final class TestPki {
    private static final AtomicLong SERIAL = new AtomicLong(System.currentTimeMillis());

    /** A key and its chain (leaf first, issuing CA, root). */
    public record Identity(PrivateKey key, List<X509Certificate> chain) {
        public X509Certificate certificate() {
            return chain.get(0);
        }

        /** Writes a PKCS#12 with the key and chain. */
        public Path writePkcs12(Path file, char[] password) throws Exception {
            KeyStore ks = KeyStore.getInstance("PKCS12");
            ks.load(null, null);
            ks.setKeyEntry("identity", key, password, chain.toArray(X509Certificate[]::new));
            try (OutputStream out = Files.newOutputStream(file)) {
                ks.store(out, password);
            }
            return file;
        }
    }

    private final KeyPair rootKeys;
    private final X509Certificate root;
    private final KeyPair caKeys;
    private final X509Certificate ca;
    private final KeyPair foreignKeys;
    private final X509Certificate foreign;

    public TestPki() throws Exception {
        Instant now = Instant.now();
        rootKeys = keys();
        root = certificate("CN=TEST AC RACINE IGC-SANTE,O=ASIP-SANTE,C=FR", rootKeys,
            new X500Name("CN=TEST AC RACINE IGC-SANTE,O=ASIP-SANTE,C=FR"), rootKeys.getPrivate(), now.minus(Duration.ofDays(10)), now.plus(Duration.ofDays(3650)),
            true, null);
        caKeys = keys();
        ca = certificate("CN=TEST AC IGC-SANTE ORGANISATIONS,O=ASIP-SANTE,C=FR", caKeys,
            name(root), rootKeys.getPrivate(), now.minus(Duration.ofDays(10)),
            now.plus(Duration.ofDays(3650)), true, null);
        foreignKeys = keys();
        foreign = certificate("CN=FOREIGN CA,O=NOT IGC-SANTE,C=FR", foreignKeys,
            new X500Name("CN=FOREIGN CA,O=NOT IGC-SANTE,C=FR"),
            foreignKeys.getPrivate(), now.minus(Duration.ofDays(10)), now.plus(Duration.ofDays(3650)), true, null);
    }

    public X509Certificate root() {
        return root;
    }

    public X509Certificate ca() {
        return ca;
    }

    /** The stand-in's server certificate (SAN localhost and 127.0.0.1). */
    public Identity server() throws Exception {
        return leaf("CN=localhost,O=DMP STAND-IN,C=FR", true, false);
    }

    /** An organisation certificate (TLS client authentication and signature). */
    public Identity organisation(String dn) throws Exception {
        return leaf(dn, false, false);
    }

    /** The same kind of certificate, issued by the foreign CA. */
    public Identity foreignOrganisation(String dn) throws Exception {
        return leaf(dn, false, true);
    }

    /** Root + issuing CA as PEM. */
    public Path writeCaBundle(Path file) throws Exception {
        return writePem(file, List.of(ca, root));
    }

    public static Path writePem(Path file, List<X509Certificate> certificates) throws Exception {
        StringBuilder sb = new StringBuilder();
        for (X509Certificate c : certificates) {
            sb.append("-----BEGIN CERTIFICATE-----\n")
                .append(Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII)).encodeToString(c.getEncoded()))
                .append("\n-----END CERTIFICATE-----\n");
        }
        Files.writeString(file, sb.toString(), StandardCharsets.US_ASCII);
        return file;
    }

    private Identity leaf(String dn, boolean server, boolean foreignIssuer) throws Exception {
        Instant now = Instant.now();
        KeyPair kp = keys();
        X509Certificate issuer = foreignIssuer ? foreign : ca;
        PrivateKey issuerKey = foreignIssuer ? foreignKeys.getPrivate() : caKeys.getPrivate();
        X509Certificate cert = certificate(dn, kp, name(issuer), issuerKey,
            now.minus(Duration.ofDays(1)), now.plus(Duration.ofDays(365)), false, server ? "server" : "client");
        List<X509Certificate> chain = new ArrayList<>(List.of(cert, issuer));
        if (!foreignIssuer) {
            chain.add(root);
        }
        return new Identity(kp.getPrivate(), chain);
    }

    private static X500Name name(X509Certificate c) {
        return X500Name.getInstance(c.getSubjectX500Principal().getEncoded());
    }

    private static X509Certificate certificate(String subject, KeyPair subjectKeys, X500Name issuer,
                                               PrivateKey issuerKey, Instant from, Instant to, boolean isCa,
                                               String usage) throws Exception {
        X509v3CertificateBuilder b = new JcaX509v3CertificateBuilder(issuer,
            BigInteger.valueOf(SERIAL.incrementAndGet()), Date.from(from), Date.from(to), new X500Name(subject),
            subjectKeys.getPublic());
        b.addExtension(Extension.basicConstraints, true, new BasicConstraints(isCa));
        if (isCa) {
            b.addExtension(Extension.keyUsage, true, new KeyUsage(KeyUsage.keyCertSign | KeyUsage.cRLSign));
        } else {
            b.addExtension(Extension.keyUsage, true,
                new KeyUsage(KeyUsage.digitalSignature | KeyUsage.keyEncipherment | KeyUsage.nonRepudiation));
            b.addExtension(Extension.extendedKeyUsage, false, new ExtendedKeyUsage("server".equals(usage)
                ? new KeyPurposeId[] {KeyPurposeId.id_kp_serverAuth}
                : new KeyPurposeId[] {KeyPurposeId.id_kp_clientAuth}));
            if ("server".equals(usage)) {
                b.addExtension(Extension.subjectAlternativeName, false, new GeneralNames(new GeneralName[] {
                    new GeneralName(GeneralName.dNSName, "localhost"),
                    new GeneralName(GeneralName.iPAddress, "127.0.0.1")}));
            }
        }
        return new JcaX509CertificateConverter().getCertificate(
            b.build(new JcaContentSignerBuilder("SHA256withRSA").build(issuerKey)));
    }

    private static KeyPair keys() throws Exception {
        KeyPairGenerator g = KeyPairGenerator.getInstance("RSA");
        g.initialize(2048);
        return g.generateKeyPair();
    }
}
