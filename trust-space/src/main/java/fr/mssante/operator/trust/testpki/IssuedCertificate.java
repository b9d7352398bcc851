package fr.mssante.operator.trust.testpki;

import java.security.PrivateKey;
import java.security.cert.X509Certificate;
import java.util.List;

import fr.mssante.operator.trust.dn.DistinguishedName;

/**
 * A certificate with its private key and the chain a TLS peer would present.
 *
 * @param certificate the leaf
 * @param privateKey its key
 * @param chain leaf first, then the intermediate(s); the root is not included
 */
public record IssuedCertificate(X509Certificate certificate, PrivateKey privateKey, List<X509Certificate> chain) {
    public IssuedCertificate {
        chain = List.copyOf(chain);
    }

    /** The chain as {@code SSLSession.getPeerCertificates()} gives it. */
    public X509Certificate[] chainArray() {
        return chain.toArray(X509Certificate[]::new);
    }

    public DistinguishedName subject() {
        return DistinguishedName.of(certificate.getSubjectX500Principal());
    }
}
