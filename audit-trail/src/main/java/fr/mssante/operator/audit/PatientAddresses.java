package fr.mssante.operator.audit;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.util.Base64;
import java.util.HexFormat;
import java.util.Locale;
import java.util.Objects;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Patient addresses ({@code <INS>@domain}: a local part that is a 15-character INS — 13-digit NIR, with {@code 2A} or
 * {@code 2B} as department for Corsica, and a 2-digit key) never reach the audit trail in clear: each is replaced by
 * {@code ins-hmac:} and the hex HMAC-SHA-256 of the lower-cased address under the operator's audit key. The same
 * function protects what is stored and what is searched, so a search by address still finds the rows.
 *
 * <p>Any INS-shaped address is hashed, whether or not its key digits are valid (hashing too much is harmless), and so
 * is an INS standing alone (as in the citizen routes' paths {@code /mss/citizens/<INS>/…}).
 */
public final class PatientAddresses {
    /** The prefix of a hashed patient address. */
    public static final String HASH_PREFIX = "ins-hmac:";
    private static final Pattern ADDRESS = Pattern.compile(
        "(?<![A-Za-z0-9._%+=-])([0-9]{5}(?:[0-9]{2}|2[AaBb])[0-9]{8})@([A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?(?:\\.[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?)*)");
    /** An INS standing alone (a WebAdmin path such as {@code /mss/citizens/<INS>/close}, a log line). */
    private static final Pattern BARE_INS = Pattern.compile("(?<![A-Za-z0-9._%+=:-])([0-9]{5}(?:[0-9]{2}|2[AaBb])[0-9]{8})(?![A-Za-z0-9@])");
    private static final int MINIMUM_KEY_BYTES = 32;

    private final SecretKeySpec key;

    private PatientAddresses(byte[] key) {
        if (key.length < MINIMUM_KEY_BYTES) {
            throw new IllegalArgumentException("the audit hashing key must have at least " + MINIMUM_KEY_BYTES + " bytes");
        }
        this.key = new SecretKeySpec(key.clone(), "HmacSHA256");
    }

    /** With the operator's audit key (MSS_AUDIT_HASH_KEY: base64 of at least 32 bytes). */
    public static PatientAddresses withKey(byte[] key) {
        return new PatientAddresses(key);
    }

    public static PatientAddresses withBase64Key(String base64) {
        try {
            return new PatientAddresses(Base64.getDecoder().decode(base64.trim()));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("the audit hashing key must be base64 of at least " + MINIMUM_KEY_BYTES
                + " bytes", e);
        }
    }

    /** Whether {@code address} is a patient address. */
    public static boolean isPatientAddress(String address) {
        Matcher matcher = ADDRESS.matcher(address.trim());
        return matcher.matches();
    }

    /** {@code text} with every patient address in it replaced by its hash; {@code null} stays {@code null}. */
    public String protect(String text) {
        if (text == null) {
            return null;
        }
        // addresses first, then an INS standing alone (hashed as itself: the same citizen, another search key)
        return replace(BARE_INS, text.indexOf('@') < 0 ? text : replace(ADDRESS, text));
    }

    private String replace(Pattern pattern, String text) {
        Matcher matcher = pattern.matcher(text);
        StringBuilder protectedText = new StringBuilder();
        while (matcher.find()) {
            matcher.appendReplacement(protectedText, Matcher.quoteReplacement(hash(matcher.group())));
        }
        matcher.appendTail(protectedText);
        return protectedText.toString();
    }

    /** The stored form of one patient address. */
    public String hash(String address) {
        Objects.requireNonNull(address, "address");
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(key);
            byte[] digest = mac.doFinal(address.trim().toLowerCase(Locale.ROOT).getBytes(StandardCharsets.UTF_8));
            return HASH_PREFIX + HexFormat.of().formatHex(digest);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA256 unavailable", e);
        }
    }
}
