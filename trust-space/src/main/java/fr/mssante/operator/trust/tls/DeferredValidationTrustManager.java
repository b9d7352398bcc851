package fr.mssante.operator.trust.tls;

import java.net.Socket;
import java.security.cert.CertificateException;
import java.security.cert.X509Certificate;

import javax.net.ssl.SSLEngine;
import javax.net.ssl.X509ExtendedTrustManager;

/**
 * Lets the TLS handshake complete with any peer certificate of one side, because the certificate is validated right
 * after the handshake against the trust roots <em>and</em> the liste blanche, with a clear SMTP reply instead of an
 * opaque handshake failure: {@link #ofClients()} on our MX (checked at MAIL FROM), {@link #ofServers()} when we deliver
 * (checked before MAIL FROM). The other side is always refused: such a manager never authenticates the wrong role.
 */
public final class DeferredValidationTrustManager extends X509ExtendedTrustManager {
    private final boolean clients;

    private DeferredValidationTrustManager(boolean clients) {
        this.clients = clients;
    }

    public static DeferredValidationTrustManager ofClients() {
        return new DeferredValidationTrustManager(true);
    }

    public static DeferredValidationTrustManager ofServers() {
        return new DeferredValidationTrustManager(false);
    }

    private void defer(boolean clientSide) throws CertificateException {
        if (clientSide != clients) {
            throw new CertificateException("This trust manager only defers " + (clients ? "client" : "server") + " certificates");
        }
    }

    @Override
    public void checkClientTrusted(X509Certificate[] chain, String authType) throws CertificateException {
        defer(true);
    }

    @Override
    public void checkClientTrusted(X509Certificate[] chain, String authType, Socket socket) throws CertificateException {
        defer(true);
    }

    @Override
    public void checkClientTrusted(X509Certificate[] chain, String authType, SSLEngine engine) throws CertificateException {
        defer(true);
    }

    @Override
    public void checkServerTrusted(X509Certificate[] chain, String authType) throws CertificateException {
        defer(false);
    }

    @Override
    public void checkServerTrusted(X509Certificate[] chain, String authType, Socket socket) throws CertificateException {
        defer(false);
    }

    @Override
    public void checkServerTrusted(X509Certificate[] chain, String authType, SSLEngine engine) throws CertificateException {
        defer(false);
    }

    @Override
    public X509Certificate[] getAcceptedIssuers() {
        return new X509Certificate[0];
    }
}
