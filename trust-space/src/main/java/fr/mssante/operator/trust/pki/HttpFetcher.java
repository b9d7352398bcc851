package fr.mssante.operator.trust.pki;

import java.io.IOException;
import java.net.URI;

/** Minimal HTTP client used for CRL distribution points and OCSP responders (replaceable in tests). */
public interface HttpFetcher {
    byte[] get(URI uri) throws IOException;

    byte[] post(URI uri, String contentType, byte[] body) throws IOException;
}
