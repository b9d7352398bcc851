package fr.mssante.operator.smime.verify;

import java.math.BigInteger;
import java.util.List;
import java.util.Optional;

/**
 * One signer of a message.
 *
 * @param subject subject DN (RFC 2253), empty when the certificate is missing
 * @param issuer issuer DN (RFC 2253)
 * @param serial certificate serial number
 * @param email the certificate address that matched From, else its first address, else empty
 * @param reasons empty when the signer is good
 */
public record SignerResult(String subject, String issuer, BigInteger serial, Optional<String> email,
                           List<FailureReason> reasons) {
    public SignerResult {
        reasons = List.copyOf(reasons);
    }

    public SignerStatus status() {
        return reasons.isEmpty() ? SignerStatus.GOOD : SignerStatus.BAD;
    }
}
