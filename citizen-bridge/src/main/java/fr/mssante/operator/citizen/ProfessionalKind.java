package fr.mssante.operator.citizen;

/**
 * The kinds of professional mailbox that may start a conversation with a citizen (mssante-rules.md §8): personal
 * (PER), organisational (ORG), applicative (APP) and shared practice (CAB). The mail server maps its register's
 * mailbox type onto these; a sender that maps to none (unknown, not in the register or the directory) may not start one.
 */
public enum ProfessionalKind {
    PER, ORG, APP, CAB
}
