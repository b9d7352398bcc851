package fr.mssante.operator.trust.testpki;

/**
 * One entry to write into a generated liste blanche.
 *
 * @param domain {@code Nom}
 * @param dn {@code DNCertificatOperateur}, written as given
 * @param description {@code Description}
 */
public record ListedPair(String domain, String dn, String description) {
}
