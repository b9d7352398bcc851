package fr.mssante.operator.documents.antivirus;

import java.time.Duration;

/**
 * How {@link ClamdClient} talks to clamd.
 *
 * @param address        where clamd listens
 * @param connectTimeout time allowed to connect
 * @param ioTimeout      longest wait for clamd to accept data or to answer (clamd scans after the last chunk: allow
 *                       for the scan of the largest message)
 * @param chunkBytes     INSTREAM chunk size
 * @param maxStreamBytes largest content sent; larger content is an {@link ScanResult.Error} (keep it at or below
 *                       clamd's {@code StreamMaxLength}, 25 MiB by default in clamd)
 */
public record ClamdSettings(ClamdAddress address, Duration connectTimeout, Duration ioTimeout, int chunkBytes, long maxStreamBytes) {
    public ClamdSettings {
        if (address == null || connectTimeout.isNegative() || connectTimeout.isZero() || ioTimeout.isNegative() || ioTimeout.isZero()
            || chunkBytes < 1 || maxStreamBytes < 1) {
            throw new IllegalArgumentException("clamd settings must be positive");
        }
    }

    /** 5 s to connect, 60 s per read/write wait, 64 KiB chunks, 25 MiB at most. */
    public static ClamdSettings of(String address) {
        return new ClamdSettings(ClamdAddress.parse(address), Duration.ofSeconds(5), Duration.ofSeconds(60), 64 * 1024,
            25L * 1024 * 1024);
    }

    public ClamdSettings withMaxStreamBytes(long value) {
        return new ClamdSettings(address, connectTimeout, ioTimeout, chunkBytes, value);
    }

    public ClamdSettings withTimeouts(Duration connect, Duration io) {
        return new ClamdSettings(address, connect, io, chunkBytes, maxStreamBytes);
    }
}
