package fr.mssante.operator.healthspace.webadmin;

/** A citizen as the server's register knows them ({@code GET /mss/citizens/{ins}}). */
public record Citizen(String ins, String address, String displayName, String state, String personalEmail) {
    public boolean open() {
        return "OPEN".equals(state);
    }
}
