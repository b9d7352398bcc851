package fr.mssante.operator.smime.testing;

import java.io.IOException;
import java.io.StringWriter;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PrivateKey;
import java.security.SecureRandom;
import java.security.cert.X509CRL;
import java.security.cert.X509Certificate;
import java.security.spec.ECGenParameterSpec;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Date;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;

import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x500.X500NameBuilder;
import org.bouncycastle.asn1.x500.style.BCStyle;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.CRLReason;
import org.bouncycastle.asn1.x509.ExtendedKeyUsage;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.asn1.x509.KeyPurposeId;
import org.bouncycastle.asn1.x509.KeyUsage;
import org.bouncycastle.cert.X509v2CRLBuilder;
import org.bouncycastle.cert.X509v3CertificateBuilder;
import org.bouncycastle.cert.jcajce.JcaX509CRLConverter;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509ExtensionUtils;
import org.bouncycastle.cert.jcajce.JcaX509v2CRLBuilder;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.openssl.jcajce.JcaPEMWriter;
import org.bouncycastle.openssl.jcajce.JcaPKCS8Generator;
import org.bouncycastle.operator.ContentSigner;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;

import fr.mssante.operator.smime.crypto.Providers;
import fr.mssante.operator.smime.keystore.KeyEntry;

/** A throwaway PKI generated at test time (never committed): a root CA and end-entity certificates. */
public final class TestPki {
    public static final Instant NOW = Instant.now().truncatedTo(ChronoUnit.SECONDS);
    private static final AtomicLong SERIAL = new AtomicLong(System.nanoTime() & 0xffffffffL);
    private static final List<KeyPair> RSA_POOL = new ArrayList<>();

    public final KeyPair caKeys;
    public final X509Certificate ca;

    public record Issued(X509Certificate certificate, PrivateKey key) {
        public KeyEntry entry(String owner) {
            return new KeyEntry(owner, certificate, List.of(), key);
        }
    }

    private TestPki(KeyPair caKeys, X509Certificate ca) {
        this.caKeys = caKeys;
        this.ca = ca;
    }

    public static TestPki create(String name) {
        try {
            KeyPair keys = rsa();
            X500Name subject = new X500Name("CN=" + name + ",O=MSS Test,C=FR");
            JcaX509ExtensionUtils utils = new JcaX509ExtensionUtils();
            X509v3CertificateBuilder builder = new JcaX509v3CertificateBuilder(subject, serial(),
                    Date.from(NOW.minus(Duration.ofDays(30))), Date.from(NOW.plus(Duration.ofDays(3650))), subject, keys.getPublic())
                    .addExtension(Extension.basicConstraints, true, new BasicConstraints(true))
                    .addExtension(Extension.keyUsage, true, new KeyUsage(KeyUsage.keyCertSign | KeyUsage.cRLSign))
                    .addExtension(Extension.subjectKeyIdentifier, false, utils.createSubjectKeyIdentifier(keys.getPublic()));
            return new TestPki(keys, sign(builder, keys.getPrivate()));
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    public Issued issue(String email) {
        return issue(email, NOW.minus(Duration.ofDays(1)), NOW.plus(Duration.ofDays(365)), false, true);
    }

    public Issued issue(String email, Instant notBefore, Instant notAfter, boolean ec, boolean emailInSan) {
        return issue(email, notBefore, notAfter, ec, emailInSan, List.of(), List.of());
    }

    /** A signer certificate naming these CRL distribution points and OCSP responders (AIA). */
    public Issued issue(String email, List<java.net.URI> crlDistributionPoints, List<java.net.URI> ocspResponders) {
        return issue(email, NOW.minus(Duration.ofDays(1)), NOW.plus(Duration.ofDays(365)), false, true,
                crlDistributionPoints, ocspResponders);
    }

    private Issued issue(String email, Instant notBefore, Instant notAfter, boolean ec, boolean emailInSan,
                         List<java.net.URI> crlDistributionPoints, List<java.net.URI> ocspResponders) {
        try {
            KeyPair keys = ec ? ec() : rsa();
            X500NameBuilder name = new X500NameBuilder(BCStyle.INSTANCE).addRDN(BCStyle.CN, email.substring(0, email.indexOf('@')))
                    .addRDN(BCStyle.O, "MSS Test");
            if (!emailInSan) {
                name.addRDN(BCStyle.EmailAddress, email);
            }
            JcaX509ExtensionUtils utils = new JcaX509ExtensionUtils();
            int usage = ec ? KeyUsage.digitalSignature | KeyUsage.nonRepudiation | KeyUsage.keyAgreement
                    : KeyUsage.digitalSignature | KeyUsage.nonRepudiation | KeyUsage.keyEncipherment;
            X509v3CertificateBuilder builder = new JcaX509v3CertificateBuilder(ca, serial(), Date.from(notBefore),
                    Date.from(notAfter), name.build(), keys.getPublic())
                    .addExtension(Extension.basicConstraints, true, new BasicConstraints(false))
                    .addExtension(Extension.keyUsage, true, new KeyUsage(usage))
                    .addExtension(Extension.extendedKeyUsage, false, new ExtendedKeyUsage(KeyPurposeId.id_kp_emailProtection))
                    .addExtension(Extension.subjectKeyIdentifier, false, utils.createSubjectKeyIdentifier(keys.getPublic()))
                    .addExtension(Extension.authorityKeyIdentifier, false, utils.createAuthorityKeyIdentifier(ca));
            if (emailInSan) {
                builder.addExtension(Extension.subjectAlternativeName, false,
                        new GeneralNames(new GeneralName(GeneralName.rfc822Name, email)));
            }
            if (!crlDistributionPoints.isEmpty()) {
                org.bouncycastle.asn1.x509.DistributionPoint[] points = crlDistributionPoints.stream()
                        .map(uri -> new org.bouncycastle.asn1.x509.DistributionPoint(
                                new org.bouncycastle.asn1.x509.DistributionPointName(new GeneralNames(
                                        new GeneralName(GeneralName.uniformResourceIdentifier, uri.toString()))), null, null))
                        .toArray(org.bouncycastle.asn1.x509.DistributionPoint[]::new);
                builder.addExtension(Extension.cRLDistributionPoints, false, new org.bouncycastle.asn1.x509.CRLDistPoint(points));
            }
            if (!ocspResponders.isEmpty()) {
                org.bouncycastle.asn1.x509.AccessDescription[] access = ocspResponders.stream()
                        .map(uri -> new org.bouncycastle.asn1.x509.AccessDescription(
                                org.bouncycastle.asn1.x509.AccessDescription.id_ad_ocsp,
                                new GeneralName(GeneralName.uniformResourceIdentifier, uri.toString())))
                        .toArray(org.bouncycastle.asn1.x509.AccessDescription[]::new);
                builder.addExtension(Extension.authorityInfoAccess, false,
                        new org.bouncycastle.asn1.x509.AuthorityInformationAccess(access));
            }
            return new Issued(sign(builder, caKeys.getPrivate()), keys.getPrivate());
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    public X509CRL crl(List<X509Certificate> revoked, Instant thisUpdate, Instant nextUpdate) {
        try {
            X509v2CRLBuilder builder = new JcaX509v2CRLBuilder(ca, Date.from(thisUpdate));
            builder.setNextUpdate(Date.from(nextUpdate));
            for (X509Certificate c : revoked) {
                builder.addCRLEntry(c.getSerialNumber(), Date.from(thisUpdate.minusSeconds(60)), CRLReason.keyCompromise);
            }
            ContentSigner signer = new JcaContentSignerBuilder("SHA256withRSA").setProvider(Providers.BC).build(caKeys.getPrivate());
            return new JcaX509CRLConverter().setProvider(Providers.BC).getCRL(builder.build(signer));
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    public static String pem(Object object) {
        try (StringWriter out = new StringWriter(); JcaPEMWriter writer = new JcaPEMWriter(out)) {
            writer.writeObject(object instanceof PrivateKey key ? new JcaPKCS8Generator(key, null) : object);
            writer.flush();
            return out.toString();
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    public static Path writePem(Path file, Object... objects) throws IOException {
        StringBuilder b = new StringBuilder();
        for (Object o : objects) {
            b.append(pem(o));
        }
        return Files.writeString(file, b.toString(), StandardCharsets.US_ASCII);
    }

    /** RSA-2048 keys are slow to generate: a small pool is reused across tests (each certificate still differs). */
    private static synchronized KeyPair rsa() throws Exception {
        if (RSA_POOL.size() < 8) {
            KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
            generator.initialize(2048, new SecureRandom());
            KeyPair pair = generator.generateKeyPair();
            RSA_POOL.add(pair);
            return pair;
        }
        return RSA_POOL.get((int) (SERIAL.get() % RSA_POOL.size()));
    }

    private static KeyPair ec() throws Exception {
        KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
        generator.initialize(new ECGenParameterSpec("secp256r1"));
        return generator.generateKeyPair();
    }

    private static BigInteger serial() {
        return BigInteger.valueOf(SERIAL.incrementAndGet());
    }

    private static X509Certificate sign(X509v3CertificateBuilder builder, PrivateKey key) throws Exception {
        return new JcaX509CertificateConverter().getCertificate(
                builder.build(new JcaContentSignerBuilder("SHA256withRSA").setProvider(Providers.BC).build(key)));
    }
}
