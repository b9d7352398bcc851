package fr.mssante.operator.server.wiring;

import java.time.Duration;
import java.util.List;
import java.util.function.LongSupplier;

import javax.inject.Inject;

import org.apache.james.core.Domain;
import org.apache.james.domainlist.api.DomainList;
import org.apache.james.domainlist.api.DomainListException;
import org.apache.james.domainlist.jpa.JPADomainList;

/**
 * James's JPA domain list, whose answers to "is this domain ours?" are remembered for {@link #TTL}. The question is
 * asked six times per relayed message (James's recipient checks, our operator-certificate and message-origin hooks),
 * each a JPA query run on the SMTP event-loop thread: 19% of the MX I/O threads' samples in the relay benchmark's
 * profile (docs/benchmarks.md). Adding or removing a domain goes through this object (WebAdmin {@code /domains},
 * the development seed), which forgets every remembered answer at once, so a change is seen at once on this
 * node; James's own read cache ({@code domainlist.xml read.cache.enable}) forgets nothing on change and is
 * therefore not used. A domain list that cannot be read throws, as before, and the failure is not remembered
 * ({@link RememberedAnswers}).
 */
public final class CachedDomainList implements DomainList {
    static final Duration TTL = Duration.ofSeconds(30);

    private final DomainList delegate;
    /** Both answers are kept; one read while a change was made is not (it may predate the change). */
    private final RememberedAnswers<Domain, Boolean> answers;

    @Inject
    public CachedDomainList(JPADomainList delegate) {
        this(delegate, System::nanoTime);
    }

    CachedDomainList(DomainList delegate, LongSupplier nanoTime) {
        this.delegate = delegate;
        this.answers = new RememberedAnswers<>(TTL, nanoTime, ours -> true);
    }

    @Override
    public boolean containsDomain(Domain domain) throws DomainListException {
        return answers.get(domain, () -> delegate.containsDomain(domain));
    }

    @Override
    public void addDomain(Domain domain) throws DomainListException {
        try {
            delegate.addDomain(domain);
        } finally {
            answers.forgetAll();
        }
    }

    @Override
    public void removeDomain(Domain domain) throws DomainListException {
        try {
            delegate.removeDomain(domain);
        } finally {
            answers.forgetAll();
        }
    }

    @Override
    public List<Domain> getDomains() throws DomainListException {
        return delegate.getDomains();
    }

    @Override
    public Domain getDefaultDomain() throws DomainListException {
        return delegate.getDefaultDomain();
    }
}
