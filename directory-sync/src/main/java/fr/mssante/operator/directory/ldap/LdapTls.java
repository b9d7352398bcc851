package fr.mssante.operator.directory.ldap;

import java.security.GeneralSecurityException;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;

import javax.net.ssl.KeyManager;
import javax.net.ssl.SSLContext;

/**
 * TLS for the directory LDAP server: an implicit-TLS listener (LDAPS, 10636 by default) and, optionally, the
 * StartTLS extended operation on the plain port. Only TLS 1.3 and 1.2 are enabled, whatever the context allows.
 *
 * @param context           the server identity; see {@link #fromKeyManagers} for the PEM key managers the mail
 *                          server already builds
 * @param port              LDAPS port; 0 picks a free one
 * @param startTls          accept StartTLS on the plain port
 * @param requireTlsForBind refuse simple binds (passwords) on a connection that is not encrypted
 *                          (confidentialityRequired); the plain port then serves only anonymous development use
 *                          until StartTLS
 */
public record LdapTls(SSLContext context, int port, boolean startTls, boolean requireTlsForBind) {

    public static final int DEFAULT_PORT = 10636;
    /** The protocols enabled on every TLS socket, newest first. */
    public static final List<String> PROTOCOLS = List.of("TLSv1.3", "TLSv1.2");

    public LdapTls {
        Objects.requireNonNull(context, "context");
        if (port < 0 || port > 65535) {
            throw new IllegalArgumentException("port " + port);
        }
    }

    /** An SSLContext over the given key managers (e.g. the server's PEM identity), default trust, TLS 1.2+. */
    public static SSLContext fromKeyManagers(KeyManager[] keyManagers) throws GeneralSecurityException {
        SSLContext context = SSLContext.getInstance("TLS");
        context.init(keyManagers, null, null);
        return context;
    }

    /** LDAPS on {@code port} plus StartTLS on the plain port; passwords only over TLS. */
    public static LdapTls of(SSLContext context, int port) {
        return new LdapTls(context, port, true, true);
    }

    /** The protocols of {@link #PROTOCOLS} that the JSSE provider supports. */
    String[] enabledProtocols() {
        List<String> supported = Arrays.asList(context.getSupportedSSLParameters().getProtocols());
        String[] enabled = PROTOCOLS.stream().filter(supported::contains).toArray(String[]::new);
        if (enabled.length == 0) {
            throw new IllegalStateException("the TLS provider supports neither TLS 1.3 nor TLS 1.2");
        }
        return enabled;
    }
}
