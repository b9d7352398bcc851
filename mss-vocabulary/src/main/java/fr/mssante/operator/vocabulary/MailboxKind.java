package fr.mssante.operator.vocabulary;

import java.util.Locale;
import java.util.Optional;

/**
 * MSSanté mailbox types (TRE_R257-TypeBAL). The constant names are the wire, JSON, LDAP and SQL values. Every rule
 * about kinds is a method here, and only here.
 */
public enum MailboxKind {
    /** Personal: one professional (RPPS/ADELI), optionally at one practice site. */
    PER,
    /** Organisational: a structure's service. */
    ORG,
    /** Applicative: software of a structure (a lab's system). */
    APP,
    /** Shared practice ("cabinet"): held by a professional, used by several people. */
    CAB;

    /**
     * PER and CAB are held by a person (national id 8+RPPS or 0+ADELI; Practitioner in the directory); ORG and APP
     * by a structure (Organization).
     */
    public boolean heldByPerson() {
        return this == PER || this == CAB;
    }

    /** Only shared kinds have co-holders. */
    public boolean allowsCoHolders() {
        return this == CAB || this == ORG;
    }

    /**
     * Whether the mailbox's own secret (its password) is known to everyone who works there, so that it identifies no
     * one: CAB. A PER secret identifies its holder, an ORG/APP secret its structure.
     */
    public boolean secretShared() {
        return this == CAB;
    }

    /** Only applicative mailboxes log in with a registered certificate. */
    public boolean certificateLogin() {
        return this == APP;
    }

    /** The kind named {@code value} (case and surrounding blanks ignored); empty when it names none. */
    public static Optional<MailboxKind> parse(String value) {
        if (value == null) {
            return Optional.empty();
        }
        String name = value.trim().toUpperCase(Locale.ROOT);
        for (MailboxKind kind : values()) {
            if (kind.name().equals(name)) {
                return Optional.of(kind);
            }
        }
        return Optional.empty();
    }
}
