package fr.mssante.operator.register;

/** Lifecycle of a mailbox: suspended mailboxes keep their mail but receive and send nothing; closed is final. */
public enum MailboxState {
    ACTIVE, SUSPENDED, CLOSED
}
