package fr.mssante.operator.server.devmode;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.math.BigInteger;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.SecureRandom;
import java.security.cert.Certificate;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.Date;
import java.util.List;

import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.ExtendedKeyUsage;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.asn1.x509.KeyPurposeId;
import org.bouncycastle.asn1.x509.KeyUsage;
import org.bouncycastle.cert.X509CRLHolder;
import org.bouncycastle.cert.X509v3CertificateBuilder;
import org.bouncycastle.cert.jcajce.JcaX509CRLConverter;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509ExtensionUtils;
import org.bouncycastle.cert.jcajce.JcaX509v2CRLBuilder;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.openssl.jcajce.JcaPEMWriter;
import org.bouncycastle.operator.OperatorCreationException;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;

import fr.mssante.operator.server.wiring.ServerClock;
import fr.mssante.operator.trust.testpki.ListeBlancheWriter;
import fr.mssante.operator.trust.testpki.ListedPair;
import fr.mssante.operator.trust.tls.PemKeyMaterial;

/**
 * The development PKI under {@code var/dev/pki}: a CA and a server certificate (SAN localhost, 127.0.0.1 and this
 * host's name) usable by SMTP and IMAP TLS. Generated on first development start, never committed. Every certificate
 * carries {@link #DEVELOPMENT_MARKER} in its organisation, which production mode refuses.
 */
public final class DevelopmentPki {
    public static final String DEVELOPMENT_MARKER = "MSS DEVELOPMENT ONLY";
    static final String CA_FILE = "ca.pem";
    static final String CHAIN_FILE = "server-chain.pem";
    static final String KEY_FILE = "server-key.pem";
    static final String CA_KEY_FILE = "ca-key.pem";
    static final String CRL_FILE = "ca-crl.pem";

    private final Path directory;
    private final Clock clock;

    /** On the system clock ({@link fr.mssante.operator.server.wiring.ServerClock#system()}). */
    public DevelopmentPki(Path directory) {
        this(directory, ServerClock.system());
    }

    /** Certificates and CRLs dated from {@code clock}. */
    public DevelopmentPki(Path directory, Clock clock) {
        this.directory = directory;
        this.clock = clock;
    }

    public Path caCertificate() {
        return directory.resolve(CA_FILE);
    }

    public Path serverChain() {
        return directory.resolve(CHAIN_FILE);
    }

    public Path serverKey() {
        return directory.resolve(KEY_FILE);
    }

    /** The CA's CRL (empty), re-issued at each development start so that it never expires. */
    public Path crl() {
        return directory.resolve(CRL_FILE);
    }

    /** Creates the CA and server material unless it already exists. */
    public void ensureExists() {
        if (Files.exists(serverChain()) && Files.exists(serverKey()) && Files.exists(caCertificate())
            && Files.exists(directory.resolve(CA_KEY_FILE))) {
            issueCrl();
            return;
        }
        try {
            Files.createDirectories(directory);
            Instant now = clock.instant();
            KeyPair caKeys = rsa();
            X500Name caName = new X500Name("CN=MSS Development CA, O=" + DEVELOPMENT_MARKER + ", C=FR");
            X509Certificate ca = sign(new JcaX509v3CertificateBuilder(caName, serial(), Date.from(now.minus(Duration.ofHours(1))),
                    Date.from(now.plus(Duration.ofDays(3650))), caName, caKeys.getPublic())
                    .addExtension(Extension.basicConstraints, true, new BasicConstraints(0))
                    .addExtension(Extension.keyUsage, true, new KeyUsage(KeyUsage.keyCertSign | KeyUsage.cRLSign))
                    .addExtension(Extension.subjectKeyIdentifier, false,
                        new JcaX509ExtensionUtils().createSubjectKeyIdentifier(caKeys.getPublic())),
                caKeys.getPrivate());

            KeyPair serverKeys = rsa();
            X500Name serverName = new X500Name("CN=localhost, O=" + DEVELOPMENT_MARKER + ", C=FR");
            X509Certificate server = sign(new JcaX509v3CertificateBuilder(ca, serial(), Date.from(now.minus(Duration.ofHours(1))),
                    Date.from(now.plus(Duration.ofDays(825))), serverName, serverKeys.getPublic())
                    .addExtension(Extension.basicConstraints, true, new BasicConstraints(false))
                    .addExtension(Extension.keyUsage, true, new KeyUsage(KeyUsage.digitalSignature | KeyUsage.keyEncipherment))
                    .addExtension(Extension.extendedKeyUsage, false,
                        new ExtendedKeyUsage(new KeyPurposeId[] {KeyPurposeId.id_kp_serverAuth, KeyPurposeId.id_kp_clientAuth}))
                    .addExtension(Extension.subjectAlternativeName, false, new GeneralNames(new GeneralName[] {
                        new GeneralName(GeneralName.dNSName, "localhost"),
                        new GeneralName(GeneralName.dNSName, hostName()),
                        new GeneralName(GeneralName.iPAddress, "127.0.0.1")})),
                caKeys.getPrivate());

            write(caCertificate(), pem(ca));
            write(directory.resolve(CA_KEY_FILE), pem(caKeys.getPrivate()));
            restrict(directory.resolve(CA_KEY_FILE));
            write(serverChain(), pem(server) + pem(ca));
            write(serverKey(), pem(serverKeys.getPrivate()));
            restrict(serverKey());
            issueCrl();
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot write the development PKI under " + directory, e);
        } catch (GeneralSecurityException | OperatorCreationException e) {
            throw new IllegalStateException("Cannot generate the development PKI", e);
        }
    }

    /**
     * A local liste blanche for development: the demo operator domain with this PKI's server certificate (which
     * is also our client certificate towards other operators), so that the demo stack trusts itself.
     */
    public void writeListeBlanche(Path file, String domain) {
        try (InputStream in = Files.newInputStream(serverChain())) {
            X509Certificate server = (X509Certificate) CertificateFactory.getInstance("X.509")
                .generateCertificate(in);
            String xml = ListeBlancheWriter.write(List.of(
                new ListedPair(domain, server.getSubjectX500Principal().getName(),
                    "Development operator (" + DEVELOPMENT_MARKER + ")")), clock.instant(), true);
            Files.writeString(file, xml, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot write the development liste blanche " + file, e);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("Cannot read the development server certificate", e);
        }
    }

    /**
     * A client certificate (TLS client authentication) for an application, e.g. a lab's APP mailbox using SASL
     * EXTERNAL: {@code <name>-chain.pem} and {@code <name>-key.pem}, issued once.
     *
     * @return the certificate
     */
    public X509Certificate clientIdentity(String name, String subjectDn) {
        return identity(name, subjectDn, false);
    }

    /**
     * A PKCS#12 copy of an identity ({@code <name>.p12}, password in {@code <name>.p12.password}) for the programs
     * that take PKCS#12 (the DMP connector and stand-in). A server identity is for 127.0.0.1 and localhost.
     *
     * @return the PKCS#12 file
     */
    public Path pkcs12Identity(String name, String subjectDn, boolean server) {
        Path p12 = directory.resolve(name + ".p12");
        Path passwordFile = directory.resolve(name + ".p12.password");
        if (Files.exists(p12) && Files.exists(passwordFile)) {
            return p12;
        }
        X509Certificate certificate = identity(name, subjectDn, server);
        try {
            PrivateKey key;
            try (InputStream in = Files.newInputStream(directory.resolve(name + "-key.pem"))) {
                key = PemKeyMaterial.privateKey(in);
            }
            byte[] random = new byte[18];
            new SecureRandom().nextBytes(random);
            String password = Base64.getUrlEncoder().withoutPadding().encodeToString(random);
            KeyStore store = KeyStore.getInstance("PKCS12");
            store.load(null, null);
            store.setKeyEntry(name, key, password.toCharArray(), new Certificate[] {certificate, caCertificateLoaded()});
            try (OutputStream out = Files.newOutputStream(p12)) {
                store.store(out, password.toCharArray());
            }
            write(passwordFile, password);
            restrict(p12);
            restrict(passwordFile);
            return p12;
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot write the development PKCS#12 " + name, e);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("Cannot build the development PKCS#12 " + name, e);
        }
    }

    private X509Certificate identity(String name, String subjectDn, boolean server) {
        Path chain = directory.resolve(name + "-chain.pem");
        Path key = directory.resolve(name + "-key.pem");
        try {
            if (Files.exists(chain) && Files.exists(key)) {
                try (InputStream in = Files.newInputStream(chain)) {
                    return (X509Certificate) CertificateFactory.getInstance("X.509").generateCertificate(in);
                }
            }
            X509Certificate ca = caCertificateLoaded();
            KeyPair keys = rsa();
            Instant now = clock.instant();
            X509Certificate client = sign(new JcaX509v3CertificateBuilder(ca, serial(), Date.from(now.minus(Duration.ofHours(1))),
                    Date.from(now.plus(Duration.ofDays(825))), new X500Name(subjectDn), keys.getPublic())
                    .addExtension(Extension.basicConstraints, true, new BasicConstraints(false))
                    .addExtension(Extension.keyUsage, true, new KeyUsage(KeyUsage.digitalSignature | KeyUsage.keyEncipherment))
                    .addExtension(Extension.extendedKeyUsage, false, new ExtendedKeyUsage(server
                        ? new KeyPurposeId[] {KeyPurposeId.id_kp_serverAuth} : new KeyPurposeId[] {KeyPurposeId.id_kp_clientAuth}))
                    .addExtension(Extension.subjectAlternativeName, false, new GeneralNames(server
                        ? new GeneralName[] {new GeneralName(GeneralName.dNSName, "localhost"), new GeneralName(GeneralName.iPAddress, "127.0.0.1")}
                        : new GeneralName[] {new GeneralName(GeneralName.dNSName, name + ".invalid")})),
                caKeyLoaded());
            write(chain, pem(client) + pem(ca));
            write(key, pem(keys.getPrivate()));
            restrict(key);
            return client;
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot write the development client identity " + name, e);
        } catch (GeneralSecurityException | OperatorCreationException e) {
            throw new IllegalStateException("Cannot issue the development client identity " + name, e);
        }
    }

    private X509Certificate caCertificateLoaded() throws IOException, GeneralSecurityException {
        try (InputStream in = Files.newInputStream(caCertificate())) {
            return (X509Certificate) CertificateFactory.getInstance("X.509").generateCertificate(in);
        }
    }

    private PrivateKey caKeyLoaded() throws IOException, GeneralSecurityException {
        try (InputStream in = Files.newInputStream(directory.resolve(CA_KEY_FILE))) {
            return PemKeyMaterial.privateKey(in);
        }
    }

    private void issueCrl() {
        try {
            X509Certificate ca = caCertificateLoaded();
            PrivateKey caKey = caKeyLoaded();
            Instant now = clock.instant();
            X509CRLHolder crl = new JcaX509v2CRLBuilder(
                    ca.getSubjectX500Principal(), Date.from(now.minus(Duration.ofMinutes(5))))
                .setNextUpdate(Date.from(now.plus(Duration.ofDays(30))))
                .build(new JcaContentSignerBuilder("SHA256withRSA").build(caKey));
            write(crl(), pem(new JcaX509CRLConverter().getCRL(crl)));
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot write the development CRL", e);
        } catch (GeneralSecurityException | OperatorCreationException e) {
            throw new IllegalStateException("Cannot issue the development CRL", e);
        }
    }

    private static void restrict(Path file) {
        file.toFile().setReadable(false, false);
        file.toFile().setReadable(true, true);
    }

    private static String hostName() {
        try {
            return InetAddress.getLocalHost().getHostName();
        } catch (IOException e) {
            return "localhost";
        }
    }

    private static KeyPair rsa() throws GeneralSecurityException {
        KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
        generator.initialize(2048);
        return generator.generateKeyPair();
    }

    private static BigInteger serial() {
        return new BigInteger(96, new SecureRandom());
    }

    private static X509Certificate sign(X509v3CertificateBuilder builder, PrivateKey issuerKey)
        throws OperatorCreationException, GeneralSecurityException {
        return new JcaX509CertificateConverter().getCertificate(
            builder.build(new JcaContentSignerBuilder("SHA256withRSA").build(issuerKey)));
    }

    private static String pem(Object object) throws IOException {
        StringWriter out = new StringWriter();
        try (JcaPEMWriter writer = new JcaPEMWriter(out)) {
            writer.writeObject(object);
        }
        return out.toString();
    }

    private static void write(Path file, String content) throws IOException {
        Files.writeString(file, content, StandardCharsets.US_ASCII);
    }
}
