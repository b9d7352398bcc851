package fr.mssante.operator.directory.publication;

/** MSSanté mailbox types (TRE_R257-TypeBAL). */
public enum MailboxKind {
    /** Personal: one professional (RPPS), optionally at one practice site. */
    PER,
    /** Organisational: a structure's service. */
    ORG,
    /** Applicative: software of a structure. */
    APP,
    /** Shared practice ("cabinet"), carried by a professional. */
    CAB;

    /** Whether the mailbox belongs to a professional (Practitioner) rather than a structure (Organization). */
    public boolean personal() {
        return this == PER || this == CAB;
    }
}
