package fr.mssante.operator.smime.verify;

import java.util.List;
import java.util.Optional;

import javax.mail.internet.MimeMessage;

/**
 * Result of {@link SignatureVerifier#verify}.
 *
 * @param signers one entry per SignerInfo, in message order
 * @param malformed set when the S/MIME structure itself could not be processed (then {@code signers} may be empty)
 * @param opaque true for application/(x-)pkcs7-mime signed-data
 * @param unwrapped for opaque signed mail, the signed content as a message (outer headers, inner entity), even when
 *     bad; empty otherwise
 */
public record VerificationResult(List<SignerResult> signers, Optional<FailureReason> malformed, boolean opaque,
                                 Optional<MimeMessage> unwrapped) {
    public VerificationResult {
        signers = List.copyOf(signers);
    }

    public static VerificationResult notSigned() {
        return new VerificationResult(List.of(), Optional.empty(), false, Optional.empty());
    }

    public static VerificationResult malformed(boolean opaque) {
        return new VerificationResult(List.of(), Optional.of(FailureReason.MALFORMED), opaque, Optional.empty());
    }

    public OverallStatus status() {
        if (malformed.isPresent()) {
            return OverallStatus.BAD;
        }
        if (signers.isEmpty()) {
            return OverallStatus.NONE;
        }
        return signers.stream().allMatch(s -> s.status() == SignerStatus.GOOD) ? OverallStatus.GOOD : OverallStatus.BAD;
    }

    /** The X-MSS-SMIME-* header values describing this result. */
    public SmimeHeaders headers() {
        return SmimeHeaders.of(this);
    }
}
