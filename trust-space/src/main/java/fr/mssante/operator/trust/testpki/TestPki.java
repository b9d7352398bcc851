package fr.mssante.operator.trust.testpki;

import java.io.IOException;
import java.io.OutputStream;
import java.math.BigInteger;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.SecureRandom;
import java.security.cert.CRLException;
import java.security.cert.CertificateEncodingException;
import java.security.cert.X509CRL;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Date;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

import javax.security.auth.x500.X500Principal;

import org.bouncycastle.asn1.DERIA5String;
import org.bouncycastle.asn1.ocsp.OCSPObjectIdentifiers;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.AccessDescription;
import org.bouncycastle.asn1.x509.AuthorityInformationAccess;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.CRLDistPoint;
import org.bouncycastle.asn1.x509.CRLNumber;
import org.bouncycastle.asn1.x509.CRLReason;
import org.bouncycastle.asn1.x509.DistributionPoint;
import org.bouncycastle.asn1.x509.DistributionPointName;
import org.bouncycastle.asn1.x509.ExtendedKeyUsage;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.Extensions;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.asn1.x509.KeyPurposeId;
import org.bouncycastle.asn1.x509.KeyUsage;
import org.bouncycastle.cert.X509CertificateHolder;
import org.bouncycastle.cert.X509v2CRLBuilder;
import org.bouncycastle.cert.X509v3CertificateBuilder;
import org.bouncycastle.cert.jcajce.JcaX509CRLConverter;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509CertificateHolder;
import org.bouncycastle.cert.jcajce.JcaX509ExtensionUtils;
import org.bouncycastle.cert.jcajce.JcaX509v2CRLBuilder;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.cert.ocsp.BasicOCSPResp;
import org.bouncycastle.cert.ocsp.BasicOCSPRespBuilder;
import org.bouncycastle.cert.ocsp.CertificateID;
import org.bouncycastle.cert.ocsp.CertificateStatus;
import org.bouncycastle.cert.ocsp.OCSPReq;
import org.bouncycastle.cert.ocsp.OCSPRespBuilder;
import org.bouncycastle.cert.ocsp.Req;
import org.bouncycastle.cert.ocsp.RevokedStatus;
import org.bouncycastle.cert.ocsp.UnknownStatus;
import org.bouncycastle.cert.ocsp.jcajce.JcaBasicOCSPRespBuilder;
import org.bouncycastle.operator.ContentSigner;
import org.bouncycastle.operator.DigestCalculatorProvider;
import org.bouncycastle.operator.OperatorCreationException;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;
import org.bouncycastle.operator.jcajce.JcaDigestCalculatorProviderBuilder;

import fr.mssante.operator.trust.dn.DistinguishedName;
import fr.mssante.operator.trust.pki.Pem;

/**
 * A throw-away IGC-Santé-like PKI for tests and the development mode: a test root, an "ORGANISATIONS" intermediate
 * that issues operator server certificates (serverAuth + clientAuth), a foreign root outside the trust space, a CRL
 * and an OCSP responder. Keys are generated in memory at each run; files are written only where asked.
 */
public final class TestPki {
    public static final String ROOT_DN =
            "CN=TEST AC RACINE IGC-SANTE ELEMENTAIRE,OU=IGC-SANTE TEST,OU=0002 187512751,O=ASIP-SANTE,C=FR";
    public static final String CA_DN =
            "CN=TEST AC IGC-SANTE ELEMENTAIRE ORGANISATIONS,OU=IGC-SANTE TEST,OU=0002 187512751,O=ASIP-SANTE,C=FR";
    public static final String FOREIGN_ROOT_DN = "CN=FOREIGN TEST ROOT CA,O=NOT IGC-SANTE,C=FR";
    private static final String SIG = "SHA256withRSA";

    private final Clock clock;
    private final int keySize;
    private final URI crlUrl;
    private final URI ocspUrl;
    private final SecureRandom random = new SecureRandom();
    private final AtomicLong serials = new AtomicLong(System.nanoTime() & 0xffffffffL);
    private final Map<BigInteger, Instant> revoked = new ConcurrentHashMap<>();
    private final KeyPair rootKeys;
    private final X509Certificate root;
    private final KeyPair caKeys;
    private final X509Certificate ca;
    private final KeyPair foreignKeys;
    private final X509Certificate foreignRoot;

    private TestPki(Builder b) throws GeneralSecurityException {
        this.clock = b.clock;
        this.keySize = b.keySize;
        this.crlUrl = b.crlUrl;
        this.ocspUrl = b.ocspUrl;
        Instant now = clock.instant();
        Instant from = now.minus(Duration.ofDays(30));
        Instant to = now.plus(Duration.ofDays(3650));
        this.rootKeys = keyPair();
        this.root = caCertificate(ROOT_DN, rootKeys.getPublic(), ROOT_DN, rootKeys.getPrivate(), null, from, to, -1);
        this.caKeys = keyPair();
        this.ca = caCertificate(CA_DN, caKeys.getPublic(), ROOT_DN, rootKeys.getPrivate(), root, from, to, 0);
        this.foreignKeys = keyPair();
        this.foreignRoot = caCertificate(FOREIGN_ROOT_DN, foreignKeys.getPublic(), FOREIGN_ROOT_DN,
                foreignKeys.getPrivate(), null, from, to, -1);
    }

    public static Builder builder() {
        return new Builder();
    }

    /** A PKI at the system clock, without CRL or OCSP URLs in the certificates. */
    public static TestPki generate() {
        return builder().build();
    }

    public X509Certificate root() {
        return root;
    }

    /** The issuing CA (intermediate under {@link #root()}). */
    /** The issuing CA's key, for tests that need certificates of another profile (e.g. S/MIME). */
    public PrivateKey caKey() {
        return caKeys.getPrivate();
    }

    public X509Certificate ca() {
        return ca;
    }

    public X509Certificate foreignRoot() {
        return foreignRoot;
    }

    /** A server certificate valid from a day ago for a year, issued by the CA; the CN is also a SAN dNSName. */
    public IssuedCertificate issue(String subjectDn) {
        Instant now = clock.instant();
        return issue(subjectDn, now.minus(Duration.ofDays(1)), now.plus(Duration.ofDays(365)));
    }

    /** A server certificate with chosen validity dates, issued by the CA. */
    public IssuedCertificate issue(String subjectDn, Instant notBefore, Instant notAfter) {
        try {
            KeyPair kp = keyPair();
            X509Certificate cert = leaf(subjectDn, kp.getPublic(), ca, caKeys.getPrivate(), notBefore, notAfter, true);
            return new IssuedCertificate(cert, kp.getPrivate(), List.of(cert, ca));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    /** A server certificate issued directly by the foreign root (outside the trust space). */
    public IssuedCertificate issueForeign(String subjectDn) {
        try {
            Instant now = clock.instant();
            KeyPair kp = keyPair();
            X509Certificate cert = leaf(subjectDn, kp.getPublic(), foreignRoot, foreignKeys.getPrivate(),
                    now.minus(Duration.ofDays(1)), now.plus(Duration.ofDays(365)), false);
            return new IssuedCertificate(cert, kp.getPrivate(), List.of(cert, foreignRoot));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Marks a certificate of the CA revoked at {@code at} (appears in the next {@link #crl()} and OCSP answers). */
    public void revoke(X509Certificate cert, Instant at) {
        revoked.put(cert.getSerialNumber(), at);
    }

    /** A CRL of the CA, signed now, valid 7 days, listing the revoked certificates. */
    public X509CRL crl() {
        return crl(ca, caKeys.getPrivate(), revoked);
    }

    /** A CRL of the root (for the intermediate), empty. */
    public X509CRL rootCrl() {
        return crl(root, rootKeys.getPrivate(), Map.of());
    }

    /**
     * The audit probes of the ANS, under a base domain (e.g. {@code audit.test}): valid, expired, revoked, foreign
     * CA, DN not listed, CN different from the listed DN. Revokes the REVOKED one.
     */
    public List<AuditPeer> auditPeers(String baseDomain) {
        Instant now = clock.instant();
        List<AuditPeer> out = new ArrayList<>();
        for (AuditCase c : AuditCase.values()) {
            String domain = c.domain(baseDomain);
            String listed = "CN=" + domain + ",OU=300000000099622,O=GIP - TEST9962,ST=Paris (75),C=FR";
            IssuedCertificate presented = switch (c) {
                case VALID -> issue(listed);
                case EXPIRED -> issue(listed, now.minus(Duration.ofDays(400)), now.minus(Duration.ofDays(35)));
                case REVOKED -> {
                    IssuedCertificate r = issue(listed);
                    revoke(r.certificate(), now.minus(Duration.ofHours(1)));
                    yield r;
                }
                case FOREIGN_CA -> issueForeign(listed);
                case DN_NOT_LISTED -> issue("CN=unlisted." + domain + ",OU=300000000099623,O=GIP - UNLISTED,"
                        + "ST=Paris (75),C=FR");
                case CN_DIFFERENT_FROM_DN -> issue("CN=" + domain + ",OU=399999999999999,O=AUTRE ORGANISATION,"
                        + "ST=Gironde (33),C=FR");
            };
            out.add(new AuditPeer(c, domain, listed, presented));
        }
        return out;
    }

    /** The liste blanche entries for a set of audit peers (each domain with its listed DN). */
    public static List<ListedPair> listedPairs(List<AuditPeer> peers) {
        List<ListedPair> out = new ArrayList<>();
        for (AuditPeer p : peers) {
            out.add(new ListedPair(p.domain(), p.listedDn(), "Domaine d'audit " + p.auditCase()));
        }
        return out;
    }

    /** A liste blanche (official format, with its closing root tag) listing the given pairs. */
    public String listeBlanche(List<ListedPair> pairs) {
        return ListeBlancheWriter.write(pairs, clock.instant(), true);
    }

    /** Answers an OCSP request (DER) for certificates of the CA; signed by the CA. */
    public byte[] ocspResponse(byte[] requestDer) {
        try {
            OCSPReq request = new OCSPReq(requestDer);
            DigestCalculatorProvider digests = new JcaDigestCalculatorProviderBuilder().build();
            BasicOCSPRespBuilder builder = new JcaBasicOCSPRespBuilder(ca.getPublicKey(),
                    digests.get(CertificateID.HASH_SHA1));
            Instant now = clock.instant();
            X509CertificateHolder caHolder = new JcaX509CertificateHolder(ca);
            for (Req r : request.getRequestList()) {
                CertificateID id = r.getCertID();
                CertificateStatus status;
                if (!id.matchesIssuer(caHolder, digests)) {
                    status = new UnknownStatus();
                } else if (revoked.containsKey(id.getSerialNumber())) {
                    status = new RevokedStatus(Date.from(revoked.get(id.getSerialNumber())),
                            CRLReason.keyCompromise);
                } else {
                    status = CertificateStatus.GOOD;
                }
                builder.addResponse(id, status, Date.from(now), Date.from(now.plus(Duration.ofHours(1))), null);
            }
            Extension nonce = request.getExtension(OCSPObjectIdentifiers.id_pkix_ocsp_nonce);
            if (nonce != null) {
                builder.setResponseExtensions(new Extensions(nonce));
            }
            BasicOCSPResp basic = builder.build(signer(caKeys.getPrivate()), new X509CertificateHolder[] {caHolder},
                    Date.from(now));
            return new OCSPRespBuilder().build(OCSPRespBuilder.SUCCESSFUL, basic).getEncoded();
        } catch (Exception e) {
            throw new IllegalStateException("cannot answer the OCSP request", e);
        }
    }

    /**
     * Writes the PKI: {@code trust-roots.pem} (the root: {@code MSS_TRUST_ROOTS}), {@code ca-chain.pem} (CA + root),
     * {@code foreign-root.pem}, {@code crl.pem} / {@code crl.der} (CA CRL), {@code root-crl.pem}.
     */
    public void writeTo(Path dir) throws IOException {
        Files.createDirectories(dir);
        write(dir.resolve("trust-roots.pem"), certsPem(List.of(root)));
        write(dir.resolve("ca-chain.pem"), certsPem(List.of(ca, root)));
        write(dir.resolve("foreign-root.pem"), certsPem(List.of(foreignRoot)));
        try {
            X509CRL crl = crl();
            write(dir.resolve("crl.pem"), Pem.encode("X509 CRL", crl.getEncoded()));
            Files.write(dir.resolve("crl.der"), crl.getEncoded());
            write(dir.resolve("root-crl.pem"), Pem.encode("X509 CRL", rootCrl().getEncoded()));
        } catch (CRLException e) {
            throw new IOException(e);
        }
    }

    /**
     * Writes an identity as {@code <name>.crt.pem} (leaf), {@code <name>.chain.pem} (leaf + CA, for servers),
     * {@code <name>.key.pem} (unencrypted PKCS#8) and {@code <name>.p12} (key + chain + root, alias {@code name}).
     */
    public void writeIdentity(Path dir, String name, IssuedCertificate id, char[] p12Password) throws IOException {
        Files.createDirectories(dir);
        try {
            write(dir.resolve(name + ".crt.pem"), certsPem(List.of(id.certificate())));
            write(dir.resolve(name + ".chain.pem"), certsPem(id.chain()));
            Path key = dir.resolve(name + ".key.pem");
            write(key, Pem.encode("PRIVATE KEY", id.privateKey().getEncoded()));
            restrict(key);
            KeyStore p12 = KeyStore.getInstance("PKCS12");
            p12.load(null, null);
            List<X509Certificate> chain = new ArrayList<>(id.chain());
            X509Certificate last = chain.get(chain.size() - 1);
            if (last.equals(ca)) {
                chain.add(root);
            }
            p12.setKeyEntry(name, id.privateKey(), p12Password, chain.toArray(X509Certificate[]::new));
            Path p12File = dir.resolve(name + ".p12");
            try (OutputStream out = Files.newOutputStream(p12File)) {
                p12.store(out, p12Password);
            }
            restrict(p12File);
        } catch (GeneralSecurityException e) {
            throw new IOException("cannot write " + name, e);
        }
    }

    private static void restrict(Path file) {
        try {
            Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-------"));
        } catch (IOException | UnsupportedOperationException e) {
            // best effort (non-POSIX file system)
        }
    }

    private static String certsPem(List<X509Certificate> certs) throws IOException {
        StringBuilder sb = new StringBuilder();
        for (X509Certificate c : certs) {
            try {
                sb.append(Pem.encode("CERTIFICATE", c.getEncoded()));
            } catch (CertificateEncodingException e) {
                throw new IOException(e);
            }
        }
        return sb.toString();
    }

    private static void write(Path file, String text) throws IOException {
        Files.writeString(file, text, StandardCharsets.US_ASCII);
    }

    private KeyPair keyPair() throws GeneralSecurityException {
        KeyPairGenerator g = KeyPairGenerator.getInstance("RSA");
        g.initialize(keySize, random);
        return g.generateKeyPair();
    }

    private BigInteger nextSerial() {
        return BigInteger.valueOf(serials.incrementAndGet()).shiftLeft(32).or(BigInteger.valueOf(random.nextInt()
                & 0x7fffffff));
    }

    private X509Certificate caCertificate(String subject, PublicKey key, String issuer, PrivateKey issuerKey,
                                          X509Certificate issuerCert, Instant from, Instant to, int pathLen)
            throws GeneralSecurityException {
        try {
            JcaX509ExtensionUtils ext = new JcaX509ExtensionUtils();
            X509v3CertificateBuilder b = new JcaX509v3CertificateBuilder(name(issuer), nextSerial(), Date.from(from),
                    Date.from(to), name(subject), key);
            b.addExtension(Extension.basicConstraints, true,
                    pathLen < 0 ? new BasicConstraints(true) : new BasicConstraints(pathLen));
            b.addExtension(Extension.keyUsage, true, new KeyUsage(KeyUsage.keyCertSign | KeyUsage.cRLSign));
            b.addExtension(Extension.subjectKeyIdentifier, false, ext.createSubjectKeyIdentifier(key));
            if (issuerCert != null) {
                b.addExtension(Extension.authorityKeyIdentifier, false, ext.createAuthorityKeyIdentifier(issuerCert));
            }
            return new JcaX509CertificateConverter().getCertificate(b.build(signer(issuerKey)));
        } catch (IOException e) {
            throw new GeneralSecurityException(e);
        }
    }

    private X509Certificate leaf(String subject, PublicKey key, X509Certificate issuer, PrivateKey issuerKey,
                                 Instant from, Instant to, boolean revocationPointers)
            throws GeneralSecurityException {
        try {
            JcaX509ExtensionUtils ext = new JcaX509ExtensionUtils();
            X509v3CertificateBuilder b = new JcaX509v3CertificateBuilder(issuer, nextSerial(), Date.from(from),
                    Date.from(to), new X500Principal(subject), key);
            b.addExtension(Extension.basicConstraints, true, new BasicConstraints(false));
            b.addExtension(Extension.keyUsage, true,
                    new KeyUsage(KeyUsage.digitalSignature | KeyUsage.keyEncipherment));
            b.addExtension(Extension.extendedKeyUsage, false, new ExtendedKeyUsage(
                    new KeyPurposeId[] {KeyPurposeId.id_kp_serverAuth, KeyPurposeId.id_kp_clientAuth}));
            b.addExtension(Extension.subjectKeyIdentifier, false, ext.createSubjectKeyIdentifier(key));
            b.addExtension(Extension.authorityKeyIdentifier, false, ext.createAuthorityKeyIdentifier(issuer));
            String cn = DistinguishedName.parse(subject).commonName();
            if (cn != null && cn.matches("[A-Za-z0-9.-]+")) {
                b.addExtension(Extension.subjectAlternativeName, false,
                        new GeneralNames(new GeneralName(GeneralName.dNSName, cn)));
            }
            if (revocationPointers && crlUrl != null) {
                GeneralNames names = new GeneralNames(new GeneralName(GeneralName.uniformResourceIdentifier,
                        new DERIA5String(crlUrl.toString())));
                b.addExtension(Extension.cRLDistributionPoints, false, new CRLDistPoint(new DistributionPoint[] {
                        new DistributionPoint(new DistributionPointName(names), null, null)}));
            }
            if (revocationPointers && ocspUrl != null) {
                b.addExtension(Extension.authorityInfoAccess, false, new AuthorityInformationAccess(
                        new AccessDescription(AccessDescription.id_ad_ocsp, new GeneralName(
                                GeneralName.uniformResourceIdentifier, new DERIA5String(ocspUrl.toString())))));
            }
            return new JcaX509CertificateConverter().getCertificate(b.build(signer(issuerKey)));
        } catch (IOException e) {
            throw new GeneralSecurityException(e);
        }
    }

    private X509CRL crl(X509Certificate issuer, PrivateKey key, Map<BigInteger, Instant> entries) {
        try {
            Instant now = clock.instant();
            X509v2CRLBuilder b = new JcaX509v2CRLBuilder(issuer, Date.from(now.minus(Duration.ofMinutes(1))));
            b.setNextUpdate(Date.from(now.plus(Duration.ofDays(7))));
            for (Map.Entry<BigInteger, Instant> e : entries.entrySet()) {
                b.addCRLEntry(e.getKey(), Date.from(e.getValue()), CRLReason.keyCompromise);
            }
            b.addExtension(Extension.authorityKeyIdentifier, false,
                    new JcaX509ExtensionUtils().createAuthorityKeyIdentifier(issuer));
            b.addExtension(Extension.cRLNumber, false, new CRLNumber(BigInteger.valueOf(now.getEpochSecond())));
            return new JcaX509CRLConverter().getCRL(b.build(signer(key)));
        } catch (IOException | GeneralSecurityException e) {
            throw new IllegalStateException("cannot sign the CRL", e);
        }
    }

    private static X500Name name(String rfc2253) {
        return X500Name.getInstance(new X500Principal(rfc2253).getEncoded());
    }

    private static ContentSigner signer(PrivateKey key) throws GeneralSecurityException {
        try {
            return new JcaContentSignerBuilder(SIG).build(key);
        } catch (OperatorCreationException e) {
            throw new GeneralSecurityException(e);
        }
    }

    /** Options of a {@link TestPki}. */
    public static final class Builder {
        private Clock clock = Clock.systemUTC();
        private int keySize = 2048;
        private URI crlUrl;
        private URI ocspUrl;

        private Builder() {
        }

        /** The clock giving "now" for validity dates, CRLs and OCSP answers. */
        public Builder clock(Clock c) {
            this.clock = c;
            return this;
        }

        /** RSA key size (2048 by default, as IGC-Santé). */
        public Builder keySize(int bits) {
            this.keySize = bits;
            return this;
        }

        /** An http URL put as CRL distribution point in the CA's leaf certificates. */
        public Builder crlUrl(URI url) {
            this.crlUrl = url;
            return this;
        }

        /** An http URL put as OCSP responder (AIA) in the CA's leaf certificates. */
        public Builder ocspUrl(URI url) {
            this.ocspUrl = url;
            return this;
        }

        public TestPki build() {
            try {
                return new TestPki(this);
            } catch (GeneralSecurityException e) {
                throw new IllegalStateException("cannot generate the test PKI", e);
            }
        }
    }
}
