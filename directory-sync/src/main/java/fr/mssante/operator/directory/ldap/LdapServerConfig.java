package fr.mssante.operator.directory.ldap;

import javax.net.ServerSocketFactory;

/**
 * Configuration of the read-only directory LDAP server.
 *
 * @param bindAddress    listen address ("0.0.0.0", "127.0.0.1")
 * @param port           10389 in development (LDAPS 10636 with an SSLServerSocketFactory); 0 picks a free port
 * @param baseDn         suffix under which entries are published, e.g. "ou=annuaire,dc=mssante,dc=fr"
 * @param allowAnonymous anonymous searches: development only
 * @param maxResults     most entries one search returns without the paged results control (and largest page)
 * @param socketFactory  null for plain LDAP, an SSLServerSocketFactory for LDAPS
 */
public record LdapServerConfig(String bindAddress, int port, String baseDn, boolean allowAnonymous, int maxResults,
                               ServerSocketFactory socketFactory, LdapAuthenticator authenticator) {

    public static LdapServerConfig development(int port, String baseDn) {
        return new LdapServerConfig("127.0.0.1", port, baseDn, true, 200, null, LdapAuthenticator.NOBODY);
    }
}
