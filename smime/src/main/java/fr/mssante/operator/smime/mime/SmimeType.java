package fr.mssante.operator.smime.mime;

import java.util.Locale;

import javax.mail.MessagingException;
import javax.mail.internet.ContentType;
import javax.mail.internet.MimeMessage;
import javax.mail.internet.ParseException;

/** What kind of S/MIME structure a message is, from its Content-Type (RFC 8551 and the legacy x- types). */
public enum SmimeType {
    NONE,
    MULTIPART_SIGNED,
    SIGNED_DATA,
    ENVELOPED_DATA,
    AUTH_ENVELOPED_DATA,
    /** application/(x-)pkcs7-mime without a usable smime-type: the CMS content type decides. */
    PKCS7_MIME_UNKNOWN;

    public static SmimeType of(MimeMessage message) throws MessagingException {
        String header = message.getHeader("Content-Type", null);
        if (header == null) {
            return NONE;
        }
        ContentType type;
        try {
            type = new ContentType(header);
        } catch (ParseException e) {
            return NONE;
        }
        String base = type.getBaseType().toLowerCase(Locale.ROOT);
        if (base.equals("multipart/signed")) {
            return MULTIPART_SIGNED;
        }
        if (base.equals("application/pkcs7-mime") || base.equals("application/x-pkcs7-mime")) {
            String smimeType = type.getParameter("smime-type");
            if (smimeType == null) {
                return PKCS7_MIME_UNKNOWN;
            }
            return switch (smimeType.toLowerCase(Locale.ROOT)) {
                case "signed-data" -> SIGNED_DATA;
                case "enveloped-data" -> ENVELOPED_DATA;
                case "authenveloped-data" -> AUTH_ENVELOPED_DATA;
                default -> PKCS7_MIME_UNKNOWN;
            };
        }
        return NONE;
    }

    public static boolean isSignatureType(String baseType) {
        String base = baseType.toLowerCase(Locale.ROOT);
        return base.equals("application/pkcs7-signature") || base.equals("application/x-pkcs7-signature");
    }
}
