package fr.mssante.operator.dmp.outbox;

/**
 * The author's institution (XDS authorInstitution).
 *
 * @param name the organisation's name
 * @param id its national structure id (IdNat_Struct, e.g. {@code 3} + FINESS or {@code 1} + SIRET), may be null
 */
public record Institution(String name, String id) {
}
