package fr.mssante.operator.smime.crypto;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.cert.CertificateException;
import java.security.cert.CertificateFactory;
import java.security.cert.CertificateParsingException;
import java.security.cert.X509Certificate;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Date;
import java.util.HexFormat;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

import org.bouncycastle.asn1.ASN1Encodable;
import org.bouncycastle.asn1.ASN1String;
import org.bouncycastle.asn1.x500.AttributeTypeAndValue;
import org.bouncycastle.asn1.x500.RDN;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x500.style.BCStyle;
import org.bouncycastle.cert.X509CertificateHolder;

/** Small certificate helpers: e-mail addresses, conversions, fingerprints, validity. */
public final class Certificates {
    private static final int SAN_RFC822 = 1;
    private static final String EKU_EMAIL_PROTECTION = "1.3.6.1.5.5.7.3.4";
    private static final String EKU_ANY = "2.5.29.37.0";

    private Certificates() {
    }

    /** Lower-cased e-mail addresses of the subject: SAN rfc822Name entries, then emailAddress attributes of the DN. */
    public static List<String> emails(X509Certificate certificate) {
        Set<String> emails = new LinkedHashSet<>();
        try {
            Collection<List<?>> sans = certificate.getSubjectAlternativeNames();
            if (sans != null) {
                for (List<?> san : sans) {
                    if (san.size() >= 2 && Integer.valueOf(SAN_RFC822).equals(san.get(0)) && san.get(1) instanceof String s) {
                        emails.add(s.trim().toLowerCase(Locale.ROOT));
                    }
                }
            }
        } catch (CertificateParsingException e) {
            // malformed SAN extension: fall back on the DN
        }
        X500Name subject = X500Name.getInstance(certificate.getSubjectX500Principal().getEncoded());
        for (RDN rdn : subject.getRDNs()) {
            for (AttributeTypeAndValue atv : rdn.getTypesAndValues()) {
                if (BCStyle.EmailAddress.equals(atv.getType())) {
                    ASN1Encodable value = atv.getValue();
                    String text = value instanceof ASN1String s ? s.getString() : value.toString();
                    emails.add(text.trim().toLowerCase(Locale.ROOT));
                }
            }
        }
        return List.copyOf(emails);
    }

    public static X509Certificate toX509(X509CertificateHolder holder) throws CertificateException, IOException {
        return fromDer(holder.getEncoded());
    }

    public static X509Certificate fromDer(byte[] der) throws CertificateException {
        CertificateFactory factory = CertificateFactory.getInstance("X.509");
        return (X509Certificate) factory.generateCertificate(new ByteArrayInputStream(der));
    }

    /** Parses concatenated DER (or PEM) certificates. */
    public static List<X509Certificate> allFrom(byte[] encoded) throws CertificateException {
        CertificateFactory factory = CertificateFactory.getInstance("X.509");
        List<X509Certificate> certificates = new ArrayList<>();
        for (var c : factory.generateCertificates(new ByteArrayInputStream(encoded))) {
            certificates.add((X509Certificate) c);
        }
        return certificates;
    }

    public static String sha256Hex(X509Certificate certificate) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(certificate.getEncoded()));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    public static boolean isValidAt(X509Certificate certificate, Instant instant) {
        Date date = Date.from(instant);
        return !date.before(certificate.getNotBefore()) && !date.after(certificate.getNotAfter());
    }

    /** True when the extended key usage is absent or allows e-mail protection. */
    public static boolean allowsEmailProtection(X509Certificate certificate) {
        try {
            List<String> eku = certificate.getExtendedKeyUsage();
            return eku == null || eku.contains(EKU_EMAIL_PROTECTION) || eku.contains(EKU_ANY);
        } catch (CertificateParsingException e) {
            return false;
        }
    }

    /** digitalSignature(0) or nonRepudiation(1), or no key usage extension. */
    public static boolean allowsSigning(X509Certificate certificate) {
        boolean[] ku = certificate.getKeyUsage();
        return ku == null || ku[0] || ku[1];
    }

    /** keyEncipherment(2) or keyAgreement(4), or no key usage extension. */
    public static boolean allowsEncryption(X509Certificate certificate) {
        boolean[] ku = certificate.getKeyUsage();
        return ku == null || ku[2] || (ku.length > 4 && ku[4]);
    }
}
