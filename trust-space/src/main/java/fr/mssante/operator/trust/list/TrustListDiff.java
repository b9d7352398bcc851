package fr.mssante.operator.trust.list;

import java.util.LinkedHashSet;
import java.util.Set;

/**
 * Pairs added and removed between two snapshots.
 *
 * @param added pairs in the new list only
 * @param removed pairs in the old list only
 */
public record TrustListDiff(Set<DomainDn> added, Set<DomainDn> removed) {
    public TrustListDiff {
        added = Set.copyOf(added);
        removed = Set.copyOf(removed);
    }

    public static TrustListDiff between(TrustList previous, TrustList next) {
        Set<DomainDn> added = new LinkedHashSet<>(next.pairs());
        added.removeAll(previous.pairs());
        Set<DomainDn> removed = new LinkedHashSet<>(previous.pairs());
        removed.removeAll(next.pairs());
        return new TrustListDiff(added, removed);
    }

    public boolean isEmpty() {
        return added.isEmpty() && removed.isEmpty();
    }
}
