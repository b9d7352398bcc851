package fr.mssante.operator.trust.list;

import java.util.Objects;

import fr.mssante.operator.trust.dn.DistinguishedName;

/**
 * A (domain, operator certificate DN) pair, the unit of the liste blanche; equality on the normalised forms.
 *
 * @param domain normalised domain (see {@link Domains#normalize})
 * @param dn the operator's certificate subject DN
 */
public record DomainDn(String domain, DistinguishedName dn) {
    public DomainDn {
        domain = Domains.normalize(domain);
        Objects.requireNonNull(dn, "dn");
    }
}
