package fr.mssante.operator.vocabulary;

/**
 * Lifecycle of a mailbox: suspended mailboxes keep their mail but receive and send nothing; closed is final. The
 * constant names are the wire, JSON and SQL values.
 */
public enum MailboxState {
    ACTIVE, SUSPENDED, CLOSED;

    /** Whether anyone may log in to, read or send from the mailbox (and whether it may be published). */
    public boolean usable() {
        return this == ACTIVE;
    }

    /** Whether the register still changes it (facts, state, grants): a closed mailbox is final. */
    public boolean changeable() {
        return this != CLOSED;
    }
}
