package fr.mssante.operator.citizen;

/** One citizen of the register whose mailbox we serve. */
public record Citizen(String ins, String address, String displayName, String personalEmail, State state) {
    public enum State { OPEN, CLOSED }
}
