package fr.mssante.operator.register;

import fr.mssante.operator.vocabulary.MailboxKind;

/**
 * How an identity stands towards a mailbox, and the one place that says what each standing may do. The holder is the
 * register's {@code holder_id}; the other roles are granted ({@code mss.mailbox_access}): co-holders (CAB and ORG
 * only) and delegates, who read, or read and send.
 */
public enum AccessRole {
    /** Holds the mailbox (its {@code holder_id}): never granted, implied by the register row. */
    HOLDER,
    /** Shares a CAB or ORG mailbox with its holder. */
    CO_HOLDER,
    /** Acts for the holder: reads and sends. */
    DELEGATE_SEND,
    /** Acts for the holder: reads only. */
    DELEGATE_READ;

    /** May open and read the mailbox (IMAP). */
    public boolean mayRead() {
        return true;
    }

    /** May send from the mailbox (SMTP submission as its address). */
    public boolean maySend() {
        return this != DELEGATE_READ;
    }

    /** May change the mailbox's content (flags, append, copy/move into it, delete, expunge, folders). */
    public boolean mayModify() {
        return this != DELEGATE_READ;
    }

    /** Whether the role is granted through the register's access list (the holder's is not: it is the row itself). */
    public boolean granted() {
        return this != HOLDER;
    }

    /** Whether the role may be granted on a mailbox of this kind: co-holders only on shared kinds, delegates anywhere. */
    public boolean grantableOn(MailboxKind kind) {
        return granted() && (this != CO_HOLDER || kind.allowsCoHolders());
    }
}
