package fr.mssante.operator.console.account;

/** OPERATOR changes things (through WebAdmin); AUDITOR reads everything and changes nothing. */
public enum Role {
    OPERATOR, AUDITOR
}
