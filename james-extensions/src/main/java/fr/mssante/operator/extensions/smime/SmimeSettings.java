package fr.mssante.operator.extensions.smime;

import java.nio.file.Path;
import java.util.List;

/**
 * S/MIME settings of the pipeline.
 *
 * @param roots    PEM bundle of the CAs whose signers we accept (IGC-Santé; defaults to the trust-space roots)
 * @param crlFiles CRL files used for signer revocation
 */
public record SmimeSettings(Path roots, List<Path> crlFiles) {
    public SmimeSettings {
        crlFiles = List.copyOf(crlFiles);
    }
}
