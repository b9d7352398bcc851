package fr.mssante.operator.smime.keystore;

import java.security.PrivateKey;
import java.security.cert.X509Certificate;
import java.util.List;

/**
 * A mailbox's (or the operator's) certificate with its private key.
 *
 * @param owner the mailbox address, lower case (or the operator identity)
 * @param certificate the end-entity certificate
 * @param chain intermediates to include in signatures (not the root), possibly empty
 * @param privateKey never logged: {@link #toString()} hides it
 */
public record KeyEntry(String owner, X509Certificate certificate, List<X509Certificate> chain, PrivateKey privateKey) {
    public KeyEntry {
        chain = List.copyOf(chain);
    }

    @Override
    public String toString() {
        return "KeyEntry[owner=" + owner + ", subject=" + certificate.getSubjectX500Principal() + ", serial="
                + certificate.getSerialNumber().toString(16) + "]";
    }
}
