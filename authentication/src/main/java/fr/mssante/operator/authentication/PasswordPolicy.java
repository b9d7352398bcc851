package fr.mssante.operator.authentication;

/** Whether a mailbox may log in with a password, and whether a TOTP code must follow it. */
public enum PasswordPolicy {
    DISABLED,
    PASSWORD,
    PASSWORD_TOTP
}
