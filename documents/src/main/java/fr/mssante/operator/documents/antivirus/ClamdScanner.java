package fr.mssante.operator.documents.antivirus;

import java.io.InputStream;

/**
 * {@link VirusScanner} over the documents library's clamd client (INSTREAM over TCP or a Unix socket, bounded waits).
 * Messages are scanned whole, so the stream limit is above the largest accepted message (36 MiB + encoding):
 * clamd's {@code StreamMaxLength} must be at least {@value #MAX_STREAM_MIB} MiB.
 */
public final class ClamdScanner implements VirusScanner {
    static final int MAX_STREAM_MIB = 48;

    private final ClamdClient client;

    public ClamdScanner(String address) {
        this.client = new ClamdClient(ClamdSettings.of(address).withMaxStreamBytes(MAX_STREAM_MIB * 1024L * 1024L));
    }

    public boolean ping() {
        return client.ping();
    }

    @Override
    public Verdict scan(InputStream message) {
        ScanResult result = client.scan(message);
        if (result instanceof ScanResult.Clean) {
            return new Verdict.Clean();
        }
        if (result instanceof ScanResult.Infected infected) {
            return new Verdict.Infected(infected.signature());
        }
        if (result instanceof ScanResult.Unavailable unavailable) {
            return new Verdict.Unavailable(unavailable.reason() + ": " + unavailable.detail());
        }
        ScanResult.Error error = (ScanResult.Error) result;
        return new Verdict.Unscannable(error.reason() + ": " + error.detail());
    }

    @Override
    public String toString() {
        return "clamd at " + client.settings().address();
    }
}
