package fr.mssante.operator.directory.ldap;

import com.unboundid.ldap.listener.LDAPListener;
import com.unboundid.ldap.listener.LDAPListenerConfig;
import com.unboundid.ldap.sdk.DN;
import com.unboundid.ldap.sdk.LDAPException;
import fr.mssante.operator.directory.lookup.DirectoryLookup;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.net.InetAddress;

/**
 * Read-only LDAP view of the directory for address books (Thunderbird, Outlook) and practice software, served by the
 * UnboundID LDAP SDK listener with requests answered from PostgreSQL (no in-memory copy).
 */
public final class DirectoryLdapServer implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(DirectoryLdapServer.class);

    private final LDAPListener listener;
    private final LdapServerConfig config;

    public DirectoryLdapServer(LdapServerConfig config, DirectoryLookup lookup) throws LDAPException, IOException {
        this.config = config;
        DN base = new DN(config.baseDn());
        LDAPListenerConfig listenerConfig = new LDAPListenerConfig(config.port(),
            new DirectoryRequestHandler(config, lookup, base, null));
        listenerConfig.setListenAddress(InetAddress.getByName(config.bindAddress()));
        listenerConfig.setMaxConnections(500);
        if (config.socketFactory() != null) {
            listenerConfig.setServerSocketFactory(config.socketFactory());
        }
        this.listener = new LDAPListener(listenerConfig);
    }

    public void start() throws IOException {
        listener.startListening();
        LOG.info("Directory LDAP server listening on {}:{} (base {}, anonymous {})", config.bindAddress(), port(),
            config.baseDn(), config.allowAnonymous() ? "allowed" : "refused");
    }

    public int port() {
        return listener.getListenPort();
    }

    @Override
    public void close() {
        listener.shutDown(true);
    }
}
