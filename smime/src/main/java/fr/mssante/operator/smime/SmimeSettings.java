package fr.mssante.operator.smime;

import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

/**
 * S/MIME settings of the pipeline.
 *
 * @param roots            PEM bundle of the CAs whose signers we accept (IGC-Santé; defaults to the trust-space roots)
 * @param crlFiles         CRL files used for signer revocation (the trust-space CRL files)
 * @param masterKey        base64 AES-256 key protecting the private keys stored in PostgreSQL; empty = no key store
 *                         (nothing is decrypted or signed with mailbox keys)
 * @param operatorKeyOwner owner name of the operator's own signing key in the key store, if any
 * @param fetchCrls        fetch signers' CRLs from their distribution points, cached (as the trust space does)
 * @param ocsp             ask the OCSP responder a signer's certificate names (AIA), cached
 */
public record SmimeSettings(Path roots, List<Path> crlFiles, Optional<String> masterKey,
                            Optional<String> operatorKeyOwner, boolean fetchCrls, boolean ocsp) {
    public SmimeSettings {
        crlFiles = List.copyOf(crlFiles);
    }
}
