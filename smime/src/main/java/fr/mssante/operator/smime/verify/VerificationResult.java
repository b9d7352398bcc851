package fr.mssante.operator.smime.verify;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
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
        if (signers.stream().anyMatch(s -> s.status() == SignerStatus.BAD)) {
            return OverallStatus.BAD;
        }
        return signers.stream().allMatch(s -> s.status() == SignerStatus.GOOD) ? OverallStatus.GOOD : OverallStatus.UNDETERMINED;
    }

    /**
     * The same facts as mail attributes: {@code mss.smime.status}, {@code mss.smime.reason} (when bad),
     * {@code mss.smime.signers}, and per signer {@code mss.smime.signer.<i>.status|email|subject|issuer|serial|reasons}.
     */
    public Map<String, String> attributes() {
        Map<String, String> attributes = new LinkedHashMap<>();
        SmimeHeaders headers = headers();
        attributes.put("mss.smime.status", status().token());
        if (headers.values().containsKey(SmimeHeaders.REASON)) {
            attributes.put("mss.smime.reason", headers.values().get(SmimeHeaders.REASON));
        }
        attributes.put("mss.smime.signers", Integer.toString(signers.size()));
        for (int i = 0; i < signers.size(); i++) {
            SignerResult s = signers.get(i);
            String prefix = "mss.smime.signer." + (i + 1) + ".";
            attributes.put(prefix + "status", s.status().name().toLowerCase(Locale.ROOT));
            s.email().ifPresent(e -> attributes.put(prefix + "email", e));
            attributes.put(prefix + "subject", s.subject());
            attributes.put(prefix + "issuer", s.issuer());
            if (s.serial() != null) {
                attributes.put(prefix + "serial", s.serial().toString(16));
            }
            attributes.put(prefix + "reasons", String.join(",", s.reasons().stream().map(FailureReason::token).toList()));
        }
        return Collections.unmodifiableMap(attributes);
    }

    /** The X-MSS-SMIME-* header values describing this result. */
    public SmimeHeaders headers() {
        return SmimeHeaders.of(this);
    }
}
