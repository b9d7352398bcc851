package fr.mssante.operator.extensions.testing;

import java.util.List;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArraySet;

import org.apache.james.core.Domain;
import org.apache.james.domainlist.api.DomainList;

/** James's domain list, in memory. */
public final class FakeDomainList implements DomainList {
    private final Set<Domain> domains = new CopyOnWriteArraySet<>();

    public FakeDomainList(String... domains) {
        for (String domain : domains) {
            this.domains.add(Domain.of(domain));
        }
    }

    @Override
    public List<Domain> getDomains() {
        return List.copyOf(domains);
    }

    @Override
    public boolean containsDomain(Domain domain) {
        return domains.contains(domain);
    }

    @Override
    public void addDomain(Domain domain) {
        domains.add(domain);
    }

    @Override
    public void removeDomain(Domain domain) {
        domains.remove(domain);
    }

    @Override
    public Domain getDefaultDomain() {
        return domains.iterator().next();
    }
}
