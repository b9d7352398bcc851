package fr.mssante.operator.extensions.smime;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.cert.CRL;
import java.security.cert.CertificateException;
import java.security.cert.CertificateFactory;
import java.security.cert.X509CRL;
import java.util.ArrayList;
import java.util.List;

import javax.security.auth.x500.X500Principal;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import fr.mssante.operator.smime.verify.RevocationSource;

/** Signer revocation from the configured CRL files (PEM or DER), read once at start. */
final class CrlFileRevocationSource implements RevocationSource {
    private static final Logger LOGGER = LoggerFactory.getLogger(CrlFileRevocationSource.class);
    private final List<X509CRL> crls = new ArrayList<>();

    CrlFileRevocationSource(List<Path> files) {
        for (Path file : files) {
            try (InputStream in = Files.newInputStream(file)) {
                for (CRL crl : CertificateFactory.getInstance("X.509").generateCRLs(in)) {
                    crls.add((X509CRL) crl);
                }
            } catch (IOException | CertificateException | java.security.cert.CRLException e) {
                LOGGER.warn("Cannot read CRL file {}: {}", file, e.getMessage());
            }
        }
    }

    @Override
    public List<X509CRL> crlsFor(X500Principal issuer) {
        return crls.stream().filter(crl -> crl.getIssuerX500Principal().equals(issuer)).toList();
    }
}
