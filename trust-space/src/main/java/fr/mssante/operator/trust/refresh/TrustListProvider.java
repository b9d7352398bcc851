package fr.mssante.operator.trust.refresh;

import fr.mssante.operator.trust.list.TrustList;

/** Gives the liste blanche in force (an immutable snapshot; never null). */
@FunctionalInterface
public interface TrustListProvider {
    TrustList current();
}
