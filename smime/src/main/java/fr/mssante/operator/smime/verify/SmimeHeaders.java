package fr.mssante.operator.smime.verify;

import java.io.UnsupportedEncodingException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Collectors;

import javax.mail.Header;
import javax.mail.MessagingException;
import javax.mail.internet.MimeMessage;
import javax.mail.internet.MimeUtility;

/**
 * The {@code X-MSS-SMIME-*} headers: {@code X-MSS-SMIME-Status: good|undetermined|bad|none} ({@code undetermined}:
 * no signer bad, but a revocation status could not be established), {@code X-MSS-SMIME-Reason} when not good,
 * {@code X-MSS-SMIME-Signers: n} and {@code X-MSS-SMIME-Signer-<i>: status=..; reasons=..; email=..; subject=".."; issuer=".."; serial=..}.
 * Values are single-line US-ASCII (non-ASCII DNs are RFC 2047 encoded).
 */
public record SmimeHeaders(Map<String, String> values) {
    public static final String PREFIX = "X-MSS-SMIME-";
    public static final String STATUS = PREFIX + "Status";
    public static final String REASON = PREFIX + "Reason";
    public static final String SIGNERS = PREFIX + "Signers";
    public static final String SIGNER = PREFIX + "Signer-";

    public SmimeHeaders {
        values = Collections.unmodifiableMap(new LinkedHashMap<>(values));
    }

    static SmimeHeaders of(VerificationResult result) {
        Map<String, String> values = new LinkedHashMap<>();
        values.put(STATUS, result.status().token());
        List<String> reasons = new ArrayList<>();
        result.malformed().ifPresent(r -> reasons.add(r.token()));
        for (int i = 0; i < result.signers().size(); i++) {
            SignerResult s = result.signers().get(i);
            for (FailureReason r : s.reasons()) {
                reasons.add("signer-" + (i + 1) + " " + r.token());
            }
        }
        if (!reasons.isEmpty()) {
            values.put(REASON, String.join(", ", reasons));
        }
        if (result.status() != OverallStatus.NONE) {
            values.put(SIGNERS, Integer.toString(result.signers().size()));
        }
        for (int i = 0; i < result.signers().size(); i++) {
            values.put(SIGNER + (i + 1), describe(result.signers().get(i)));
        }
        return new SmimeHeaders(values);
    }

    /** Removes every X-MSS-SMIME-* header (to run on incoming mail before anything else, and before {@link #apply}). */
    public static void removeAll(MimeMessage message) throws MessagingException {
        List<String> names = new ArrayList<>();
        for (Header h : Collections.list(message.getAllHeaders())) {
            if (h.getName().toUpperCase(Locale.ROOT).startsWith(PREFIX.toUpperCase(Locale.ROOT))) {
                names.add(h.getName());
            }
        }
        for (String name : names) {
            message.removeHeader(name);
        }
    }

    /** Removes any existing X-MSS-SMIME-* header, then sets these. The caller saves the message. */
    public void apply(MimeMessage message) throws MessagingException {
        removeAll(message);
        for (Map.Entry<String, String> e : values.entrySet()) {
            message.setHeader(e.getKey(), e.getValue());
        }
    }

    private static String describe(SignerResult s) {
        StringBuilder b = new StringBuilder("status=").append(s.status().name().toLowerCase(Locale.ROOT));
        if (!s.reasons().isEmpty()) {
            b.append("; reasons=").append(s.reasons().stream().map(FailureReason::token).collect(Collectors.joining(",")));
        }
        s.email().ifPresent(e -> b.append("; email=").append(address(e)));
        if (!s.subject().isEmpty()) {
            b.append("; subject=\"").append(quoted(s.subject())).append('"');
        }
        if (!s.issuer().isEmpty()) {
            b.append("; issuer=\"").append(quoted(s.issuer())).append('"');
        }
        if (s.serial() != null) {
            b.append("; serial=").append(s.serial().toString(16));
        }
        return b.toString();
    }

    /** A certificate address is attacker-controlled: keep only address characters so it cannot add parameters. */
    private static String address(String value) {
        return value.replaceAll("[^A-Za-z0-9.!#$%&'*+/=?^_`{|}~@-]", "?");
    }

    private static String quoted(String value) {
        return safe(value).replace("\\", "\\\\").replace("\"", "\\\"");
    }

    /** No CR/LF/control characters; non-ASCII text RFC 2047 encoded. */
    static String safe(String value) {
        String cleaned = value.replaceAll("[\\p{Cntrl}]", " ");
        if (StandardCharsets.US_ASCII.newEncoder().canEncode(cleaned)) {
            return cleaned;
        }
        try {
            return MimeUtility.encodeText(cleaned, "UTF-8", "Q").replaceAll("[\\r\\n]+", "");
        } catch (UnsupportedEncodingException e) {
            return cleaned.replaceAll("[^\\x20-\\x7e]", "?");
        }
    }
}
