package fr.mssante.operator.smime.decrypt;

import java.util.Optional;

import javax.mail.internet.MimeMessage;

/**
 * @param status what happened
 * @param message the decrypted message (outer headers, inner entity) when DECRYPTED
 * @param owner the mailbox whose key decrypted it
 * @param contentAlgorithm OID of the content-encryption algorithm when DECRYPTED
 * @param authenticated true for AuthEnvelopedData (AES-GCM): integrity of the ciphertext is proven
 */
public record DecryptionResult(DecryptionStatus status, Optional<MimeMessage> message, Optional<String> owner,
                               Optional<String> contentAlgorithm, boolean authenticated) {
    public static DecryptionResult of(DecryptionStatus status) {
        return new DecryptionResult(status, Optional.empty(), Optional.empty(), Optional.empty(), false);
    }
}
