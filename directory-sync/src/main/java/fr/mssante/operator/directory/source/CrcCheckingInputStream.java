package fr.mssante.operator.directory.source;

import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.util.zip.CRC32;
import java.util.zip.ZipException;

/** At the end of a zip entry, checks its CRC-32 and size ({@link java.util.zip.ZipFile} streams check neither). */
final class CrcCheckingInputStream extends FilterInputStream {

    private final CRC32 crc = new CRC32();
    private final long expectedCrc;
    private final long expectedSize;
    private final String name;
    private long size;
    private boolean checked;

    CrcCheckingInputStream(InputStream in, String name, long expectedCrc, long expectedSize) {
        super(in);
        this.name = name;
        this.expectedCrc = expectedCrc;
        this.expectedSize = expectedSize;
    }

    @Override
    public int read() throws IOException {
        byte[] one = new byte[1];
        int n = read(one, 0, 1);
        return n < 0 ? -1 : one[0] & 0xff;
    }

    @Override
    public int read(byte[] b, int off, int len) throws IOException {
        int n = super.read(b, off, len);
        if (n > 0) {
            crc.update(b, off, n);
            size += n;
        } else if (n < 0) {
            check();
        }
        return n;
    }

    private void check() throws ZipException {
        if (checked) {
            return;
        }
        checked = true;
        if ((expectedSize >= 0 && size != expectedSize) || (expectedCrc >= 0 && crc.getValue() != expectedCrc)) {
            throw new ZipException("corrupt zip entry " + name + ": CRC or size mismatch");
        }
    }
}
