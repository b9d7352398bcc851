package fr.mssante.operator.healthspace.webadmin;

/** The outcome of {@code POST /mss/citizens/{ins}/login-code/verify}. */
public record CodeVerification(Outcome outcome, int remainingAttempts) {
    public enum Outcome { VALID, INVALID, LOCKED }
}
