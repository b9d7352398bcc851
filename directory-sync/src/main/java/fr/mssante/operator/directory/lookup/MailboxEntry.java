package fr.mssante.operator.directory.lookup;

/**
 * A published MSSanté mailbox (Extraction_Correspondance_MSSante). {@code kind}: PER (a professional), ORG (an
 * organisation), APP (an application), CAB (a practice). Person fields are null for ORG/APP mailboxes.
 */
public record MailboxEntry(String address, String kind, String nationalId, String civility, String lastName,
                           String firstName, String professionCode, String profession, String specialtyCode,
                           String specialty, String organisation, String service, String postalCode, String city,
                           String department) {

    /** "Hélène DUPONT", else the organisation and its service. */
    public String displayName() {
        String person = join(firstName, lastName);
        return person.isEmpty() ? join(organisation, service) : person;
    }

    private static String join(String a, String b) {
        return ((a == null ? "" : a) + " " + (b == null ? "" : b)).trim();
    }
}
