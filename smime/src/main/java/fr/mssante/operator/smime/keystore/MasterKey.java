package fr.mssante.operator.smime.keystore;

import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.util.Arrays;
import java.util.Base64;
import java.util.Map;

import javax.crypto.Cipher;
import javax.crypto.SecretKey;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;

/**
 * The AES-256 key that encrypts private keys at rest (AES-GCM, 96-bit random nonce, 128-bit tag, the row identity as
 * associated data). Stored value: version byte 1 || nonce || ciphertext+tag.
 */
public final class MasterKey {
    public static final String ENV = "MSS_SMIME_MASTER_KEY";
    private static final byte VERSION = 1;
    private static final int NONCE = 12;
    private static final SecureRandom RANDOM = new SecureRandom();

    private final SecretKey key;

    private MasterKey(byte[] raw) {
        if (raw.length != 32) {
            throw new IllegalArgumentException("the S/MIME master key must be 32 bytes (base64 of 32 random bytes)");
        }
        this.key = new SecretKeySpec(raw, "AES");
        Arrays.fill(raw, (byte) 0);
    }

    public static MasterKey fromBase64(String base64) {
        return new MasterKey(Base64.getDecoder().decode(base64.trim()));
    }

    /** Reads {@value #ENV} from the given environment (pass {@code System.getenv()}). */
    public static MasterKey fromEnvironment(Map<String, String> environment) {
        String value = environment.get(ENV);
        if (value == null || value.isBlank()) {
            throw new IllegalStateException(ENV + " is not set");
        }
        return fromBase64(value);
    }

    public static MasterKey random() {
        byte[] raw = new byte[32];
        RANDOM.nextBytes(raw);
        return new MasterKey(raw);
    }

    public byte[] seal(byte[] plaintext, byte[] associatedData) throws GeneralSecurityException {
        byte[] nonce = new byte[NONCE];
        RANDOM.nextBytes(nonce);
        Cipher cipher = Cipher.getInstance("AES/GCM/NoPadding");
        cipher.init(Cipher.ENCRYPT_MODE, key, new GCMParameterSpec(128, nonce));
        cipher.updateAAD(associatedData);
        byte[] sealed = cipher.doFinal(plaintext);
        byte[] out = new byte[1 + NONCE + sealed.length];
        out[0] = VERSION;
        System.arraycopy(nonce, 0, out, 1, NONCE);
        System.arraycopy(sealed, 0, out, 1 + NONCE, sealed.length);
        return out;
    }

    public byte[] open(byte[] stored, byte[] associatedData) throws GeneralSecurityException {
        if (stored.length < 1 + NONCE + 16 || stored[0] != VERSION) {
            throw new GeneralSecurityException("unknown sealed key format");
        }
        Cipher cipher = Cipher.getInstance("AES/GCM/NoPadding");
        cipher.init(Cipher.DECRYPT_MODE, key, new GCMParameterSpec(128, stored, 1, NONCE));
        cipher.updateAAD(associatedData);
        return cipher.doFinal(stored, 1 + NONCE, stored.length - 1 - NONCE);
    }

    @Override
    public String toString() {
        return "MasterKey[hidden]";
    }
}
