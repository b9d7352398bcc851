package fr.mssante.operator.smime.policy;

public enum SignMode { INHERIT, NEVER, ALWAYS }
