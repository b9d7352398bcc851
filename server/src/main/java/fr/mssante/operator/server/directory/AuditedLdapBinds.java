package fr.mssante.operator.server.directory;

import java.sql.SQLException;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import fr.mssante.operator.audit.AuditJournal;
import fr.mssante.operator.audit.AuditRecord;
import fr.mssante.operator.audit.AuditTypes;
import fr.mssante.operator.directory.ldap.LdapAuthenticator;

/**
 * The directory LDAP server's simple binds in the audit trail: {@code AUTH_SUCCESS} / {@code AUTH_FAILURE} with the
 * bind DN as actor and {@code LDAP SIMPLE} as detail (never the password).
 */
public final class AuditedLdapBinds implements LdapAuthenticator {
    private static final Logger LOGGER = LoggerFactory.getLogger(AuditedLdapBinds.class);

    private final LdapAuthenticator authenticator;
    private final AuditJournal journal;

    public AuditedLdapBinds(LdapAuthenticator authenticator, AuditJournal journal) {
        this.authenticator = authenticator;
        this.journal = journal;
    }

    @Override
    public boolean authenticate(String bindDn, byte[] password) {
        boolean ok = authenticator.authenticate(bindDn, password);
        try {
            journal.append(AuditRecord.of(ok ? AuditTypes.AUTH_SUCCESS : AuditTypes.AUTH_FAILURE).mailName("ldap")
                .actor(bindDn).outcome(ok ? AuditTypes.SUCCESS : AuditTypes.FAILURE)
                .reason(ok ? null : "invalid credentials").detail("LDAP SIMPLE"));
        } catch (SQLException e) {
            LOGGER.error("Could not audit an LDAP bind", e);
        }
        return ok;
    }
}
