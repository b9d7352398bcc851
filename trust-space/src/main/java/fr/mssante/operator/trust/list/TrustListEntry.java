package fr.mssante.operator.trust.list;

import java.time.Instant;

import fr.mssante.operator.trust.dn.DistinguishedName;

/**
 * One {@code Domaine} element of the liste blanche.
 *
 * @param domain normalised domain ({@code Nom})
 * @param dn parsed {@code DNCertificatOperateur}
 * @param description {@code Description}, may be empty
 * @param responsibleContact {@code ResponsableContact}, may be empty
 * @param supportContact {@code SupportContact}, may be empty
 * @param updatedAt {@code DateMAJ}, null when absent or unreadable
 */
public record TrustListEntry(String domain, DistinguishedName dn, String description, String responsibleContact,
                             String supportContact, Instant updatedAt) {
    public TrustListEntry {
        domain = Domains.normalize(domain);
    }

    public DomainDn pair() {
        return new DomainDn(domain, dn);
    }
}
