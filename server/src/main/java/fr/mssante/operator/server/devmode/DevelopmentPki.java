package fr.mssante.operator.server.devmode;

import java.io.IOException;
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
import java.security.PrivateKey;
import java.security.SecureRandom;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;

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
import org.bouncycastle.cert.jcajce.JcaX509ExtensionUtils;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.openssl.jcajce.JcaPEMWriter;
import org.bouncycastle.operator.OperatorCreationException;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;

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

    private final Path directory;

    public DevelopmentPki(Path directory) {
        this.directory = directory;
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

    /** Creates the CA and server material unless it already exists. */
    public void ensureExists() {
        if (Files.exists(serverChain()) && Files.exists(serverKey()) && Files.exists(caCertificate())) {
            return;
        }
        try {
            Files.createDirectories(directory);
            Instant now = Instant.now();
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
            write(serverChain(), pem(server) + pem(ca));
            write(serverKey(), pem(serverKeys.getPrivate()));
            serverKey().toFile().setReadable(false, false);
            serverKey().toFile().setReadable(true, true);
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot write the development PKI under " + directory, e);
        } catch (GeneralSecurityException | OperatorCreationException e) {
            throw new IllegalStateException("Cannot generate the development PKI", e);
        }
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
