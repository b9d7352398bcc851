package fr.mssante.operator.trust.source;

import java.io.IOException;
import java.io.InputStream;

final class Limits {
    private Limits() {
    }

    static byte[] readAtMost(InputStream in, long maxBytes) throws IOException {
        byte[] data = in.readNBytes((int) Math.min(Integer.MAX_VALUE - 8, maxBytes + 1));
        if (data.length > maxBytes) {
            throw new IOException("document larger than " + maxBytes + " bytes");
        }
        return data;
    }
}
