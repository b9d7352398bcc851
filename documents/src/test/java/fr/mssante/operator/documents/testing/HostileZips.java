package fr.mssante.operator.documents.testing;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.zip.Deflater;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;


/** Hostile archives generated at test time (nothing hostile is committed). */
public final class HostileZips {
    private HostileZips() {
    }

    /** One entry of {@code bytes} zeros, deflated at level 9 (1 GiB → about 1 MiB). */
    public static byte[] bomb(String name, long bytes) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (ZipOutputStream zip = new ZipOutputStream(out)) {
            zip.setLevel(Deflater.BEST_COMPRESSION);
            zip.putNextEntry(new ZipEntry(name));
            byte[] zeros = new byte[1 << 20];
            for (long written = 0; written < bytes; written += zeros.length) {
                zip.write(zeros, 0, (int) Math.min(zeros.length, bytes - written));
            }
            zip.closeEntry();
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
        return out.toByteArray();
    }

    /** {@code count} tiny entries. */
    public static byte[] manyEntries(int count) {
        Map<String, byte[]> entries = new LinkedHashMap<>();
        for (int i = 0; i < count; i++) {
            entries.put("f" + i + ".txt", new byte[] {'x'});
        }
        return TestDocuments.zip(entries);
    }

    /** One entry named {@code name} (zip slip and friends). */
    public static byte[] named(String name) {
        return TestDocuments.zip(Map.of(name, "evil".getBytes(StandardCharsets.US_ASCII)));
    }

    /** Replaces every occurrence of {@code from} by {@code to} (same length) in the archive bytes. */
    public static byte[] replaceAll(byte[] zip, String from, String to) {
        byte[] a = from.getBytes(StandardCharsets.UTF_8);
        byte[] b = to.getBytes(StandardCharsets.UTF_8);
        if (a.length != b.length) {
            throw new IllegalArgumentException("same length only");
        }
        byte[] out = zip.clone();
        for (int i = 0; i + a.length <= out.length; i++) {
            if (Arrays.equals(out, i, i + a.length, a, 0, a.length)) {
                System.arraycopy(b, 0, out, i, b.length);
            }
        }
        return out;
    }

    /** Replaces the last occurrence only (the central directory copy of a name). */
    public static byte[] replaceLast(byte[] zip, String from, String to) {
        byte[] a = from.getBytes(StandardCharsets.UTF_8);
        byte[] b = to.getBytes(StandardCharsets.UTF_8);
        byte[] out = zip.clone();
        for (int i = out.length - a.length; i >= 0; i--) {
            if (Arrays.equals(out, i, i + a.length, a, 0, a.length)) {
                System.arraycopy(b, 0, out, i, b.length);
                return out;
            }
        }
        throw new IllegalArgumentException("not found");
    }

    /** Sets the "encrypted" flag of every entry (local and central headers). */
    public static byte[] encryptedFlag(byte[] zip) {
        byte[] out = zip.clone();
        for (int i = 0; i + 10 < out.length; i++) {
            if (out[i] == 'P' && out[i + 1] == 'K' && out[i + 2] == 3 && out[i + 3] == 4) {
                out[i + 6] |= 1;
            }
            if (out[i] == 'P' && out[i + 1] == 'K' && out[i + 2] == 1 && out[i + 3] == 2) {
                out[i + 8] |= 1;
            }
        }
        return out;
    }

    /** Offset of the central directory (first central header). */
    public static int centralDirectoryOffset(byte[] zip) {
        for (int i = 0; i + 4 < zip.length; i++) {
            if (zip[i] == 'P' && zip[i + 1] == 'K' && zip[i + 2] == 1 && zip[i + 3] == 2) {
                return i;
            }
        }
        throw new IllegalArgumentException("no central directory");
    }
}
