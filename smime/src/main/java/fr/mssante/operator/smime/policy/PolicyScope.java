package fr.mssante.operator.smime.policy;

/** Levels of the inheritance chain, from the most general. The operator level has the key "". */
public enum PolicyScope { OPERATOR, DOMAIN, MAILBOX }
