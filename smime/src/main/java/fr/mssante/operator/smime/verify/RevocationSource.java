package fr.mssante.operator.smime.verify;

import java.security.cert.X509CRL;
import java.util.List;

import javax.security.auth.x500.X500Principal;

/** CRLs by issuer. Implementations fetch and cache them (directory, HTTP CDP, files); the verifier checks signatures and dates. */
public interface RevocationSource {
    List<X509CRL> crlsFor(X500Principal issuer);

    static RevocationSource none() {
        return issuer -> List.of();
    }
}
