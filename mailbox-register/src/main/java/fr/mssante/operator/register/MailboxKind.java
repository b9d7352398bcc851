package fr.mssante.operator.register;

/** MSSanté mailbox kinds: personal, organisational, applicative, shared practice ("cabinet"). */
public enum MailboxKind {
    PER, ORG, APP, CAB;

    /** PER and CAB are held by a person (national id 8+RPPS or 0+ADELI); ORG and APP by a structure. */
    public boolean heldByPerson() {
        return this == PER || this == CAB;
    }

    /** Only shared kinds have co-holders. */
    public boolean allowsCoHolders() {
        return this == CAB || this == ORG;
    }
}
