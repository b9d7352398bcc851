package fr.mssante.operator.extensions.smime;

import java.nio.file.Path;
import java.util.List;

/**
 * S/MIME settings of the pipeline.
 *
 * @param roots            PEM bundle of the CAs whose signers we accept (IGC-Santé; defaults to the trust-space roots)
 * @param crlFiles         CRL files used for signer revocation
 * @param masterKey        base64 AES-256 key protecting the private keys stored in PostgreSQL; empty = no key store
 *                         (nothing is decrypted or signed with mailbox keys)
 * @param operatorKeyOwner owner name of the operator's own signing key in the key store, if any
 */
public record SmimeSettings(Path roots, List<Path> crlFiles, java.util.Optional<String> masterKey,
                            java.util.Optional<String> operatorKeyOwner) {
    public SmimeSettings {
        crlFiles = List.copyOf(crlFiles);
    }
}
