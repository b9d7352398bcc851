package fr.mssante.operator.directory.publication;

/** Life-cycle state of one of our mailboxes, as the register stores it. */
public enum MailboxState {
    ACTIVE, SUSPENDED, CLOSED
}
