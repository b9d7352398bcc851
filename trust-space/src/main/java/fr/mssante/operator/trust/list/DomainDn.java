package fr.mssante.operator.trust.list;

import fr.mssante.operator.trust.dn.DistinguishedName;
import java.util.Objects;

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
