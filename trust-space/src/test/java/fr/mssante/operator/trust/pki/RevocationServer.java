package fr.mssante.operator.trust.pki;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import fr.mssante.operator.trust.testpki.TestPki;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.security.cert.CRLException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;

/** A loopback HTTP server publishing a test PKI's CRL ({@code /crl}) and answering OCSP ({@code /ocsp}). */
final class RevocationServer implements AutoCloseable {
    final AtomicReference<TestPki> pki = new AtomicReference<>();
    final AtomicInteger crlRequests = new AtomicInteger();
    final AtomicInteger ocspRequests = new AtomicInteger();
    private final HttpServer server;

    RevocationServer() throws IOException {
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.createContext("/crl", ex -> {
            crlRequests.incrementAndGet();
            try {
                reply(ex, "application/pkix-crl", pki.get().crl().getEncoded());
            } catch (CRLException e) {
                ex.sendResponseHeaders(500, -1);
                ex.close();
            }
        });
        server.createContext("/ocsp", ex -> {
            ocspRequests.incrementAndGet();
            byte[] request = ex.getRequestBody().readAllBytes();
            reply(ex, "application/ocsp-response", pki.get().ocspResponse(request));
        });
        server.start();
    }

    URI uri(String path) {
        return URI.create("http://127.0.0.1:" + server.getAddress().getPort() + path);
    }

    private static void reply(HttpExchange ex, String type, byte[] body) throws IOException {
        ex.getResponseHeaders().add("Content-Type", type);
        ex.sendResponseHeaders(200, body.length);
        try (OutputStream out = ex.getResponseBody()) {
            out.write(body);
        }
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
