package fr.mssante.operator.documents.filing;

import java.util.List;

/**
 * The levels of the DMP filing policy, most specific first: the first level that has a rule decides (as the S/MIME
 * policy resolves mailbox → domain → operator). The order is this list's, never the alphabetical order of the names.
 */
public enum FilingScope {
    /** The sending mailbox (its address). */
    MAILBOX,
    /** The sending mailbox's domain. */
    DOMAIN;

    /** The levels in precedence order: a mailbox's rule overrides its domain's. */
    public static final List<FilingScope> PRECEDENCE = List.of(MAILBOX, DOMAIN);
}
