package fr.mssante.operator.smime.verify;

import java.math.BigInteger;
import java.security.cert.X509Certificate;
import java.util.List;
import java.util.Optional;

/**
 * One signer of a message.
 *
 * @param subject subject DN (RFC 2253), empty when the certificate is missing
 * @param issuer issuer DN (RFC 2253)
 * @param serial certificate serial number
 * @param email the certificate address that matched From, else its first address, else empty
 * @param reasons empty when the signer is good; only {@code REVOCATION_UNDETERMINED} when it is undetermined
 * @param certificate the signer certificate when present in the message (a good signer's certificate can feed the
 *     certificate store, source SIGNATURE)
 */
public record SignerResult(String subject, String issuer, BigInteger serial, Optional<String> email,
                           List<FailureReason> reasons, Optional<X509Certificate> certificate) {
    public SignerResult {
        reasons = List.copyOf(reasons);
    }

    /** GOOD without reasons; UNDETERMINED when the only reason is an undetermined revocation status; else BAD. */
    public SignerStatus status() {
        if (reasons.isEmpty()) {
            return SignerStatus.GOOD;
        }
        return reasons.stream().allMatch(r -> r == FailureReason.REVOCATION_UNDETERMINED)
                ? SignerStatus.UNDETERMINED : SignerStatus.BAD;
    }
}
