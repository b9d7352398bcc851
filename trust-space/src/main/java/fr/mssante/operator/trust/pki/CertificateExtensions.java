package fr.mssante.operator.trust.pki;

import java.io.IOException;
import java.net.URI;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.List;

import org.bouncycastle.asn1.ASN1IA5String;
import org.bouncycastle.asn1.x509.AccessDescription;
import org.bouncycastle.asn1.x509.AuthorityInformationAccess;
import org.bouncycastle.asn1.x509.CRLDistPoint;
import org.bouncycastle.asn1.x509.DistributionPoint;
import org.bouncycastle.asn1.x509.DistributionPointName;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.cert.jcajce.JcaX509ExtensionUtils;

/** Reads the CRL distribution points and OCSP responders named by a certificate (http/https URIs only). */
final class CertificateExtensions {
    private CertificateExtensions() {
    }

    static List<URI> crlDistributionPoints(X509Certificate cert) {
        List<URI> out = new ArrayList<>();
        byte[] ext = cert.getExtensionValue(Extension.cRLDistributionPoints.getId());
        if (ext == null) {
            return out;
        }
        try {
            CRLDistPoint dp = CRLDistPoint.getInstance(JcaX509ExtensionUtils.parseExtensionValue(ext));
            for (DistributionPoint p : dp.getDistributionPoints()) {
                DistributionPointName name = p.getDistributionPoint();
                if (name != null && name.getType() == DistributionPointName.FULL_NAME) {
                    addUris(GeneralNames.getInstance(name.getName()).getNames(), out);
                }
            }
        } catch (IOException | RuntimeException e) {
            // malformed extension: no distribution point
        }
        return out;
    }

    static List<URI> ocspResponders(X509Certificate cert) {
        List<URI> out = new ArrayList<>();
        byte[] ext = cert.getExtensionValue(Extension.authorityInfoAccess.getId());
        if (ext == null) {
            return out;
        }
        try {
            AuthorityInformationAccess aia = AuthorityInformationAccess.getInstance(
                    JcaX509ExtensionUtils.parseExtensionValue(ext));
            List<GeneralName> names = new ArrayList<>();
            for (AccessDescription ad : aia.getAccessDescriptions()) {
                if (AccessDescription.id_ad_ocsp.equals(ad.getAccessMethod())) {
                    names.add(ad.getAccessLocation());
                }
            }
            addUris(names.toArray(GeneralName[]::new), out);
        } catch (IOException | RuntimeException e) {
            // malformed extension: no responder
        }
        return out;
    }

    private static void addUris(GeneralName[] names, List<URI> out) {
        for (GeneralName n : names) {
            if (n.getTagNo() == GeneralName.uniformResourceIdentifier) {
                String s = ASN1IA5String.getInstance(n.getName()).getString();
                if (s.regionMatches(true, 0, "http://", 0, 7) || s.regionMatches(true, 0, "https://", 0, 8)) {
                    try {
                        out.add(URI.create(s));
                    } catch (IllegalArgumentException e) {
                        // skip an unusable URI
                    }
                }
            }
        }
    }
}
