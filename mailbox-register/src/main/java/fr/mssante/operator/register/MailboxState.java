package fr.mssante.operator.register;

/** Lifecycle of a mailbox: suspended mailboxes keep their mail but receive and send nothing; closed is final. */
public enum MailboxState {
    ACTIVE, SUSPENDED, CLOSED;

    /** Whether anyone may log in to, read or send from the mailbox. */
    public boolean usable() {
        return this == ACTIVE;
    }

    /** Whether the register still changes it (facts, state, grants): a closed mailbox is final. */
    public boolean changeable() {
        return this != CLOSED;
    }
}
