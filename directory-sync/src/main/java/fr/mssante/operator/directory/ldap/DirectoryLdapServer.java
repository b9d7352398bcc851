package fr.mssante.operator.directory.ldap;

import java.io.IOException;
import java.net.InetAddress;
import java.util.OptionalInt;

import com.unboundid.ldap.listener.LDAPListener;
import com.unboundid.ldap.listener.LDAPListenerConfig;
import com.unboundid.ldap.listener.LDAPListenerRequestHandler;
import com.unboundid.ldap.listener.StartTLSRequestHandler;
import com.unboundid.ldap.sdk.DN;
import com.unboundid.ldap.sdk.LDAPException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import fr.mssante.operator.directory.lookup.DirectoryLookup;

/**
 * Read-only LDAP view of the directory for address books (Thunderbird, Outlook) and practice software, served by the
 * UnboundID LDAP SDK listener with requests answered from PostgreSQL (no in-memory copy). With {@link LdapTls}, a
 * second listener serves LDAPS and the plain one accepts StartTLS.
 */
public final class DirectoryLdapServer implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(DirectoryLdapServer.class);

    private final LDAPListener listener;
    private final LDAPListener tlsListener;
    private final LdapServerConfig config;

    public DirectoryLdapServer(LdapServerConfig config, DirectoryLookup lookup) throws LDAPException, IOException {
        this.config = config;
        DN base = new DN(config.baseDn());
        InetAddress address = InetAddress.getByName(config.bindAddress());
        LdapTls tls = config.tls();
        LdapLimits limits = config.limits();
        ConnectionsPerAddress connections = new ConnectionsPerAddress(limits.maxConnectionsPerAddress());
        LDAPListenerRequestHandler handler = new DirectoryRequestHandler(config, lookup, base, null);
        LDAPListenerRequestHandler plainHandler = tls != null && tls.startTls()
            ? new StartTLSRequestHandler(GuardedServerSockets.startTls(TlsSocketFactories.startTlsSockets(tls), limits),
                handler) : handler;
        LDAPListenerConfig listenerConfig = new LDAPListenerConfig(config.port(), plainHandler);
        listenerConfig.setListenAddress(address);
        listenerConfig.setMaxConnections(500);
        listenerConfig.setMaxMessageSizeBytes(limits.maxMessageBytes());
        // every message is measured (size, nesting) before UnboundID decodes it: see LdapMessageGuard
        listenerConfig.setServerSocketFactory(config.socketFactory() != null ? config.socketFactory()
            : GuardedServerSockets.plain(limits, connections));
        this.listener = new LDAPListener(listenerConfig);
        if (tls != null) {
            LDAPListenerConfig tlsConfig = new LDAPListenerConfig(tls.port(), handler);
            tlsConfig.setListenAddress(address);
            tlsConfig.setMaxConnections(500);
            tlsConfig.setMaxMessageSizeBytes(limits.maxMessageBytes());
            tlsConfig.setServerSocketFactory(GuardedServerSockets.tls(TlsSocketFactories.serverSockets(tls), limits,
                connections));
            this.tlsListener = new LDAPListener(tlsConfig);
        } else {
            this.tlsListener = null;
        }
    }

    public void start() throws IOException {
        listener.startListening();
        if (tlsListener != null) {
            try {
                tlsListener.startListening();
            } catch (IOException e) {
                listener.shutDown(true);
                throw e;
            }
        }
        LdapTls tls = config.tls();
        LOG.info("Directory LDAP server listening on {}:{}{} (base {}, anonymous {}{})", config.bindAddress(), port(),
            tls == null ? "" : ", LDAPS on " + ldapsPort().getAsInt(), config.baseDn(),
            config.allowAnonymous() ? "allowed" : "refused",
            tls == null ? "" : tls.startTls() ? ", StartTLS" : "");
    }

    /** The plain LDAP port. */
    public int port() {
        return listener.getListenPort();
    }

    /** The LDAPS port, when TLS is configured. */
    public OptionalInt ldapsPort() {
        return tlsListener == null ? OptionalInt.empty() : OptionalInt.of(tlsListener.getListenPort());
    }

    @Override
    public void close() {
        listener.shutDown(true);
        if (tlsListener != null) {
            tlsListener.shutDown(true);
        }
    }
}
