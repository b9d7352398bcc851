package fr.mssante.operator.extensions.trustspace;

import java.util.function.Predicate;

import org.apache.james.core.Domain;
import org.apache.james.domainlist.api.DomainList;
import org.apache.james.domainlist.api.DomainListException;

/**
 * Whether a domain is one of ours (James's domain list: the domains we host and the default domain). A domain list
 * that cannot be read throws {@link Unavailable}: the hooks answer a temporary failure (451), never a guess.
 */
final class LocalDomains implements Predicate<String> {
    private final DomainList domains;

    LocalDomains(DomainList domains) {
        this.domains = domains;
    }

    @Override
    public boolean test(String domain) {
        if (domain == null || domain.isBlank()) {
            return false;
        }
        try {
            return domains.containsDomain(Domain.of(domain));
        } catch (IllegalArgumentException e) {
            return false;
        } catch (DomainListException e) {
            throw new Unavailable(e);
        }
    }

    /** The domain list could not be read. */
    static final class Unavailable extends RuntimeException {
        private static final long serialVersionUID = 1L;

        Unavailable(DomainListException cause) {
            super("domain list unavailable", cause);
        }
    }
}
