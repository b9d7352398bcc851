package fr.mssante.operator.directory.ldap;

import javax.net.ServerSocketFactory;

/**
 * Configuration of the read-only directory LDAP server.
 *
 * @param bindAddress    listen address ("0.0.0.0", "127.0.0.1")
 * @param port           plain LDAP port, 10389 by default; 0 picks a free port
 * @param baseDn         suffix under which entries are published, e.g. "ou=annuaire,dc=mssante,dc=fr"
 * @param allowAnonymous anonymous searches: development only
 * @param maxResults     most entries one search returns without the paged results control (and largest page)
 * @param socketFactory  null for plain LDAP on {@code port}; any other factory replaces it (kept for callers that
 *                       build their own; prefer {@code tls})
 * @param authenticator  checks simple binds
 * @param tls            null for no TLS; otherwise LDAPS on its own port next to {@code port}, and StartTLS
 * @param limits         message size, nesting depth and connections per address ({@link LdapLimits#DEFAULTS});
 *                       applied to every connection unless {@code socketFactory} replaces the plain one
 */
public record LdapServerConfig(String bindAddress, int port, String baseDn, boolean allowAnonymous, int maxResults,
                               ServerSocketFactory socketFactory, LdapAuthenticator authenticator, LdapTls tls,
                               LdapLimits limits) {

    public LdapServerConfig {
        limits = limits == null ? LdapLimits.DEFAULTS : limits;
    }

    public LdapServerConfig(String bindAddress, int port, String baseDn, boolean allowAnonymous, int maxResults,
                            ServerSocketFactory socketFactory, LdapAuthenticator authenticator) {
        this(bindAddress, port, baseDn, allowAnonymous, maxResults, socketFactory, authenticator, null, null);
    }

    public LdapServerConfig(String bindAddress, int port, String baseDn, boolean allowAnonymous, int maxResults,
                            ServerSocketFactory socketFactory, LdapAuthenticator authenticator, LdapTls tls) {
        this(bindAddress, port, baseDn, allowAnonymous, maxResults, socketFactory, authenticator, tls, null);
    }

    public static LdapServerConfig development(int port, String baseDn) {
        return new LdapServerConfig("127.0.0.1", port, baseDn, true, 200, null, LdapAuthenticator.NOBODY, null, null);
    }

    public LdapServerConfig withTls(LdapTls value) {
        return new LdapServerConfig(bindAddress, port, baseDn, allowAnonymous, maxResults, socketFactory, authenticator,
            value, limits);
    }

    public LdapServerConfig withLimits(LdapLimits value) {
        return new LdapServerConfig(bindAddress, port, baseDn, allowAnonymous, maxResults, socketFactory, authenticator,
            tls, value);
    }
}
