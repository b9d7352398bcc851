package fr.mssante.operator.authentication;

import fr.mssante.operator.register.AccessRole;

/** What a session will do with the mailbox: read it (IMAP) or send from it (SMTP submission). */
public enum Purpose {
    READ,
    SEND;

    /** Whether this role's rights ({@link AccessRole#mayRead()}, {@link AccessRole#maySend()}) cover the purpose. */
    public boolean grantedBy(AccessRole role) {
        return this == READ ? role.mayRead() : role.maySend();
    }
}
