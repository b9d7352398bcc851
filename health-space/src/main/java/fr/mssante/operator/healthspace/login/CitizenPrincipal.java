package fr.mssante.operator.healthspace.login;

import java.io.Serializable;

/** The citizen signed in: their INS, their address in the patient domain, and their name for the page header. */
public record CitizenPrincipal(String ins, String address, String displayName) implements Serializable {
    @Override
    public String toString() {
        // never the INS in logs
        return "CitizenPrincipal[***]";
    }
}
