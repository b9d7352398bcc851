package fr.mssante.operator.extensions.smtp;

import java.io.OutputStream;

/**
 * Finds a line ending other than CRLF in a byte stream: a CR not followed by LF ("bare CR") or an LF not preceded by
 * CR ("bare LF"). Written to as an {@link OutputStream}, so that a message is scanned as it is serialised.
 */
public final class LineEndingScanner extends OutputStream {
    public enum Finding { NONE, BARE_CR, BARE_LF }

    private boolean afterCr;
    private Finding finding = Finding.NONE;

    @Override
    public void write(int b) {
        if (finding != Finding.NONE) {
            return;
        }
        if (afterCr && b != '\n') {
            finding = Finding.BARE_CR;
        } else if (!afterCr && b == '\n') {
            finding = Finding.BARE_LF;
        }
        afterCr = b == '\r';
    }

    @Override
    public void write(byte[] bytes, int offset, int length) {
        for (int i = offset; i < offset + length && finding == Finding.NONE; i++) {
            write(bytes[i]);
        }
    }

    /** The first non-CRLF line ending seen, counting a CR at the very end as bare. */
    public Finding finding() {
        return finding == Finding.NONE && afterCr ? Finding.BARE_CR : finding;
    }
}
