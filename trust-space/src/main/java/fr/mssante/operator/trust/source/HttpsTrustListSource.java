package fr.mssante.operator.trust.source;

import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.security.GeneralSecurityException;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.List;

import fr.mssante.operator.trust.pki.Pem;

/**
 * The liste blanche downloaded over HTTPS. The server certificate must chain to the configured roots (the PEM bundle
 * of {@code MSS_TRUST_ROOTS}, not the JDK's cacerts) and match the host name.
 */
public final class HttpsTrustListSource implements TrustListSource {
    private final URI uri;
    private final HttpClient client;
    private final Duration timeout;
    private final long maxBytes;

    public HttpsTrustListSource(URI uri, List<X509Certificate> roots, Duration timeout, long maxBytes) {
        if (!"https".equalsIgnoreCase(uri.getScheme())) {
            throw new IllegalArgumentException("the liste blanche URL must be https: " + uri);
        }
        if (roots.isEmpty()) {
            throw new IllegalArgumentException("no trust root to validate " + uri);
        }
        this.uri = uri;
        this.timeout = timeout;
        this.maxBytes = maxBytes;
        try {
            this.client = HttpClient.newBuilder()
                    .sslContext(Pem.clientContextTrusting(roots))
                    .connectTimeout(timeout)
                    .followRedirects(HttpClient.Redirect.NEVER)
                    .build();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("cannot build the TLS context", e);
        }
    }

    @Override
    public FetchedDocument fetch() throws IOException {
        HttpRequest request = HttpRequest.newBuilder(uri).timeout(timeout).GET().build();
        HttpResponse<InputStream> response;
        try {
            response = client.send(request, HttpResponse.BodyHandlers.ofInputStream());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted", e);
        }
        try (InputStream body = response.body()) {
            if (response.statusCode() != 200) {
                throw new IOException("HTTP " + response.statusCode() + " from " + uri);
            }
            return new FetchedDocument(Limits.readAtMost(body, maxBytes), uri.toString());
        }
    }

    @Override
    public String describe() {
        return uri.toString();
    }
}
