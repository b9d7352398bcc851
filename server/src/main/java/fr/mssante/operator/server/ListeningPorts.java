package fr.mssante.operator.server;

import java.util.LinkedHashMap;
import java.util.Map;

import javax.inject.Inject;

import org.apache.james.imapserver.netty.IMAPServerFactory;
import org.apache.james.protocols.lib.netty.AbstractConfigurableAsyncServer;
import org.apache.james.smtpserver.netty.SMTPServer;
import org.apache.james.smtpserver.netty.SMTPServerFactory;
import org.apache.james.utils.GuiceProbe;

/**
 * The actual ports of the listeners (they differ from the configuration when it asks for port 0), by role:
 * {@code smtp-mx}, {@code submission}, {@code submissions}, {@code imap}, {@code imaps}. Roles are recognised by
 * behaviour (implicit TLS, AUTH announced), not by position in the configuration.
 */
public class ListeningPorts implements GuiceProbe {
    public static final String SMTP_MX = "smtp-mx";
    public static final String SUBMISSION = "submission";
    public static final String SUBMISSIONS = "submissions";
    public static final String IMAP = "imap";
    public static final String IMAPS = "imaps";

    private final SMTPServerFactory smtpServers;
    private final IMAPServerFactory imapServers;

    @Inject
    public ListeningPorts(SMTPServerFactory smtpServers, IMAPServerFactory imapServers) {
        this.smtpServers = smtpServers;
        this.imapServers = imapServers;
    }

    public Map<String, Integer> byRole() {
        Map<String, Integer> ports = new LinkedHashMap<>();
        for (AbstractConfigurableAsyncServer server : smtpServers.getServers()) {
            ports.put(smtpRole((SMTPServer) server), port(server));
        }
        for (AbstractConfigurableAsyncServer server : imapServers.getServers()) {
            ports.put(isImplicitTls(server) ? IMAPS : IMAP, port(server));
        }
        return ports;
    }

    public int port(String role) {
        Integer port = byRole().get(role);
        if (port == null) {
            throw new IllegalStateException("No listener for role " + role);
        }
        return port;
    }

    private static String smtpRole(SMTPServer server) {
        if (isImplicitTls(server)) {
            return SUBMISSIONS;
        }
        return server.getAuthRequired() == SMTPServer.AuthenticationAnnounceMode.NEVER ? SMTP_MX : SUBMISSION;
    }

    private static boolean isImplicitTls(AbstractConfigurableAsyncServer server) {
        return "secure".equals(server.getSocketType());
    }

    private static int port(AbstractConfigurableAsyncServer server) {
        return server.getListenAddresses().get(0).getPort();
    }
}
