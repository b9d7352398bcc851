package fr.mssante.operator.authentication;

import java.io.ByteArrayOutputStream;
import java.math.BigInteger;
import java.security.SignatureException;
import java.util.Arrays;

/** JOSE ECDSA signatures are R||S (RFC 7518 §3.4); the JDK wants ASN.1 DER. */
final class EcdsaSignatures {
    private EcdsaSignatures() {
    }

    static byte[] joseToDer(byte[] jose) throws SignatureException {
        if (jose.length == 0 || jose.length % 2 != 0 || jose.length > 132) {
            throw new SignatureException("bad ECDSA signature length");
        }
        int half = jose.length / 2;
        byte[] r = new BigInteger(1, Arrays.copyOfRange(jose, 0, half)).toByteArray();
        byte[] s = new BigInteger(1, Arrays.copyOfRange(jose, half, jose.length)).toByteArray();
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        integer(body, r);
        integer(body, s);
        ByteArrayOutputStream der = new ByteArrayOutputStream();
        der.write(0x30);
        length(der, body.size());
        der.writeBytes(body.toByteArray());
        return der.toByteArray();
    }

    static byte[] derToJose(byte[] der, int half) {
        int offset = 2 + ((der[1] & 0x80) != 0 ? der[1] & 0x7f : 0);
        int rLength = der[offset + 1];
        byte[] r = Arrays.copyOfRange(der, offset + 2, offset + 2 + rLength);
        offset = offset + 2 + rLength;
        int sLength = der[offset + 1];
        byte[] s = Arrays.copyOfRange(der, offset + 2, offset + 2 + sLength);
        byte[] jose = new byte[2 * half];
        copyRight(r, jose, 0, half);
        copyRight(s, jose, half, half);
        return jose;
    }

    private static void copyRight(byte[] value, byte[] target, int start, int length) {
        int skip = Math.max(0, value.length - length);
        System.arraycopy(value, skip, target, start + length - (value.length - skip), value.length - skip);
    }

    private static void integer(ByteArrayOutputStream out, byte[] value) {
        out.write(0x02);
        length(out, value.length);
        out.writeBytes(value);
    }

    private static void length(ByteArrayOutputStream out, int length) {
        if (length < 0x80) {
            out.write(length);
        } else {
            out.write(0x81);
            out.write(length);
        }
    }
}
