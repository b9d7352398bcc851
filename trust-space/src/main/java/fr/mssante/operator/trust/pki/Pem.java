package fr.mssante.operator.trust.pki;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.CRL;
import java.security.cert.CRLException;
import java.security.cert.Certificate;
import java.security.cert.CertificateException;
import java.security.cert.CertificateFactory;
import java.security.cert.X509CRL;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Collection;
import java.util.List;

import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;

/** Reading certificates and CRLs (PEM or DER), and building TLS trust from a PEM bundle of roots. */
public final class Pem {
    private Pem() {
    }

    /** All certificates of a PEM bundle (or a single DER certificate). */
    public static List<X509Certificate> readCertificates(Path file) throws IOException {
        return readCertificates(Files.readAllBytes(file));
    }

    public static List<X509Certificate> readCertificates(byte[] data) throws IOException {
        try (InputStream in = new ByteArrayInputStream(data)) {
            Collection<? extends Certificate> certs = x509().generateCertificates(in);
            List<X509Certificate> out = new ArrayList<>();
            for (Certificate c : certs) {
                out.add((X509Certificate) c);
            }
            return out;
        } catch (CertificateException e) {
            throw new IOException("not a certificate bundle: " + e.getMessage(), e);
        }
    }

    /** All CRLs of a file (PEM or DER). */
    public static List<X509CRL> readCrls(Path file) throws IOException {
        return readCrls(Files.readAllBytes(file));
    }

    public static List<X509CRL> readCrls(byte[] data) throws IOException {
        try (InputStream in = new ByteArrayInputStream(data)) {
            List<X509CRL> out = new ArrayList<>();
            for (CRL crl : x509().generateCRLs(in)) {
                out.add((X509CRL) crl);
            }
            return out;
        } catch (CRLException | CertificateException e) {
            throw new IOException("not a CRL: " + e.getMessage(), e);
        }
    }

    /** PEM text of a DER object ({@code CERTIFICATE}, {@code X509 CRL}, {@code PRIVATE KEY}...). */
    public static String encode(String type, byte[] der) {
        String b64 = Base64.getMimeEncoder(64, new byte[] {'\n'}).encodeToString(der);
        return "-----BEGIN " + type + "-----\n" + b64 + "\n-----END " + type + "-----\n";
    }

    /** A KeyStore (PKCS12, in memory) holding the given certificates as trusted entries. */
    public static KeyStore trustStore(List<X509Certificate> roots) throws GeneralSecurityException {
        KeyStore ks = KeyStore.getInstance("PKCS12");
        try {
            ks.load(null, null);
        } catch (IOException e) {
            throw new GeneralSecurityException(e);
        }
        int i = 0;
        for (X509Certificate root : roots) {
            ks.setCertificateEntry("root-" + i++, root);
        }
        return ks;
    }

    /** A client TLS context trusting only the given roots (TLS 1.2/1.3 per JDK defaults). */
    public static SSLContext clientContextTrusting(List<X509Certificate> roots) throws GeneralSecurityException {
        TrustManagerFactory tmf = TrustManagerFactory.getInstance("PKIX");
        tmf.init(trustStore(roots));
        SSLContext ctx = SSLContext.getInstance("TLS");
        ctx.init(null, tmf.getTrustManagers(), null);
        return ctx;
    }

    private static CertificateFactory x509() throws CertificateException {
        return CertificateFactory.getInstance("X.509");
    }
}
