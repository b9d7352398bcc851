package fr.mssante.operator.smime.mime;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Base64;

/** Builds the S/MIME MIME entities we emit. */
public final class SmimeEntities {
    private static final Base64.Encoder MIME_BASE64 = Base64.getMimeEncoder(76, new byte[] {'\r', '\n'});

    private SmimeEntities() {
    }

    /** application/pkcs7-mime entity (RFC 8551 names) with the DER base64-encoded. */
    public static byte[] pkcs7Mime(String smimeType, byte[] der) {
        String headers = "Content-Type: application/pkcs7-mime; smime-type=" + smimeType + "; name=\"smime.p7m\"\r\n"
                + "Content-Transfer-Encoding: base64\r\n"
                + "Content-Disposition: attachment; filename=\"smime.p7m\"\r\n"
                + "Content-Description: S/MIME Encrypted Message\r\n\r\n";
        return concat(headers, MIME_BASE64.encode(der), "\r\n");
    }

    /** multipart/signed entity: the signed entity byte for byte, then the detached signature. */
    public static byte[] multipartSigned(byte[] signedEntity, byte[] signatureDer, String micalg, String boundary) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(signedEntity.length + signatureDer.length * 2 + 1024);
        write(out, "Content-Type: multipart/signed; protocol=\"application/pkcs7-signature\"; micalg=" + micalg
                + ";\r\n\tboundary=\"" + boundary + "\"\r\n\r\n"
                + "This is a cryptographically signed message in MIME format.\r\n\r\n"
                + "--" + boundary + "\r\n");
        out.writeBytes(signedEntity);
        write(out, "\r\n--" + boundary + "\r\n"
                + "Content-Type: application/pkcs7-signature; name=\"smime.p7s\"\r\n"
                + "Content-Transfer-Encoding: base64\r\n"
                + "Content-Disposition: attachment; filename=\"smime.p7s\"\r\n"
                + "Content-Description: S/MIME Cryptographic Signature\r\n\r\n");
        out.writeBytes(MIME_BASE64.encode(signatureDer));
        write(out, "\r\n--" + boundary + "--\r\n");
        return out.toByteArray();
    }

    private static byte[] concat(String head, byte[] body, String tail) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(body.length + 512);
        write(out, head);
        out.writeBytes(body);
        write(out, tail);
        return out.toByteArray();
    }

    private static void write(ByteArrayOutputStream out, String s) {
        out.writeBytes(s.getBytes(StandardCharsets.US_ASCII));
    }
}
