package fr.mssante.operator.dmp.outbox;

/**
 * The author of a document (XDS authorPerson, authorRole, authorSpecialty).
 *
 * @param nationalId the professional's national id (IdNat_PS, e.g. {@code 810001234567} for an RPPS), may be null
 * @param familyName may be null
 * @param givenName may be null
 * @param role the profession (e.g. {@code 10} "Médecin" in {@code 1.2.250.1.71.1.2.7}), may be null
 * @param specialty the speciality (e.g. {@code G15_10/SM26}), may be null
 */
public record DocumentAuthor(String nationalId, String familyName, String givenName, Code role, Code specialty) {
}
