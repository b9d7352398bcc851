package fr.mssante.operator.smime.encrypt;

import java.security.cert.X509Certificate;
import java.util.List;

/** Encryption certificates of recipients, by e-mail address (directory, configuration, verified signatures). */
public interface CertificateDirectory {
    /** Every known certificate of {@code email} (any validity); empty when none. */
    List<X509Certificate> certificatesFor(String email);
}
