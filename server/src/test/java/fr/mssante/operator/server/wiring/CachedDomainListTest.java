package fr.mssante.operator.server.wiring;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

import org.apache.james.core.Domain;
import org.apache.james.domainlist.api.DomainList;
import org.apache.james.domainlist.api.DomainListException;
import org.junit.jupiter.api.Test;

/** "Is this domain ours?" is remembered for a while, and forgotten at once when the domain is added or removed. */
class CachedDomainListTest {
    private static final Domain OURS = Domain.of("ours.test");
    private static final Domain OTHER = Domain.of("peer.test");

    private final FakeDomainList store = new FakeDomainList();
    private final AtomicLong clock = new AtomicLong(1_000_000_000L);
    private final CachedDomainList domains = new CachedDomainList(store, clock::get);

    @Test
    void answersAreRememberedForTheTtlThenAskedAgain() throws Exception {
        store.domains.add(OURS);

        assertThat(domains.containsDomain(OURS)).isTrue();
        assertThat(domains.containsDomain(OURS)).isTrue();
        assertThat(domains.containsDomain(OTHER)).isFalse();
        assertThat(domains.containsDomain(OTHER)).isFalse();
        assertThat(store.lookups.get()).isEqualTo(2);

        clock.addAndGet(CachedDomainList.TTL.toNanos());
        assertThat(domains.containsDomain(OURS)).isTrue();
        assertThat(store.lookups.get()).isEqualTo(3);
    }

    @Test
    void anAddedDomainIsOursAtOnceEvenAfterAnEarlierNo() throws Exception {
        assertThat(domains.containsDomain(OURS)).isFalse();

        domains.addDomain(OURS);

        assertThat(domains.containsDomain(OURS)).isTrue();
        assertThat(store.domains).contains(OURS);
    }

    @Test
    void aRemovedDomainIsNoLongerOursAtOnce() throws Exception {
        store.domains.add(OURS);
        assertThat(domains.containsDomain(OURS)).isTrue();

        domains.removeDomain(OURS);

        assertThat(domains.containsDomain(OURS)).isFalse();
    }

    @Test
    void anAnswerReadWhileTheDomainChangedIsNotKept() throws Exception {
        store.duringLookup = () -> domains.addDomain(OURS);   // the change lands between the read and its caching
        assertThat(domains.containsDomain(OURS)).isFalse();
        store.duringLookup = null;

        assertThat(domains.containsDomain(OURS)).isTrue();
    }

    @Test
    void aFailureIsThrownAndNotRemembered() throws Exception {
        store.domains.add(OURS);
        store.failures.add(new DomainListException("database down"));

        assertThatThrownBy(() -> domains.containsDomain(OURS)).isInstanceOf(DomainListException.class);
        assertThat(domains.containsDomain(OURS)).isTrue();
    }

    private static final class FakeDomainList implements DomainList {
        final Set<Domain> domains = ConcurrentHashMap.newKeySet();
        final AtomicInteger lookups = new AtomicInteger();
        final List<DomainListException> failures = new ArrayList<>();
        ThrowingRunnable duringLookup;

        @Override
        public boolean containsDomain(Domain domain) throws DomainListException {
            lookups.incrementAndGet();
            if (!failures.isEmpty()) {
                throw failures.remove(0);
            }
            boolean found = domains.contains(domain);
            if (duringLookup != null) {
                ThrowingRunnable change = duringLookup;
                duringLookup = null;
                change.run();
            }
            return found;
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
        public List<Domain> getDomains() {
            return List.copyOf(domains);
        }

        @Override
        public Domain getDefaultDomain() {
            return Domain.LOCALHOST;
        }
    }

    @FunctionalInterface
    private interface ThrowingRunnable {
        void run() throws DomainListException;
    }
}
