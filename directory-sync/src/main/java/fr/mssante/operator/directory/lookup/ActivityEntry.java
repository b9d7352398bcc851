package fr.mssante.operator.directory.lookup;

/** One activity of a professional (PS_LibreAcces Personne_activite): where and how they practise. */
public record ActivityEntry(String nationalId, String civility, String lastName, String firstName,
                            String professionCode, String profession, String specialtyCode, String specialty,
                            String practiceMode, String organisation, String siret, String finess,
                            String postalCode, String city, String phone) {
}
