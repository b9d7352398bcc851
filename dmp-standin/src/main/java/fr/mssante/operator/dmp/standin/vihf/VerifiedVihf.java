package fr.mssante.operator.dmp.standin.vihf;

import java.security.cert.X509Certificate;
import java.util.Map;

/**
 * A VIHF assertion that passed every check.
 *
 * @param nameId the professional's national id ({@code Subject/NameID})
 * @param issuer the {@code Issuer} (the signing certificate's subject DN)
 * @param resourceId the patient CX the assertion grants access to
 * @param attributes every attribute's first text value by name
 * @param signer the certificate that signed it
 */
public record VerifiedVihf(String nameId, String issuer, String resourceId, Map<String, String> attributes,
                           X509Certificate signer) {
    public VerifiedVihf {
        attributes = Map.copyOf(attributes);
    }
}
