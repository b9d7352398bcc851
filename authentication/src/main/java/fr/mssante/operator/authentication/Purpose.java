package fr.mssante.operator.authentication;

/** What a session will do with the mailbox: read it (IMAP) or send from it (SMTP submission). */
public enum Purpose {
    READ,
    SEND
}
