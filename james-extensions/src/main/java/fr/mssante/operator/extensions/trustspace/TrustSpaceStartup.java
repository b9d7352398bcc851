package fr.mssante.operator.extensions.trustspace;

import org.apache.james.lifecycle.api.Startable;

import fr.mssante.operator.trust.space.TrustSpace;

/** James's start-up ordering names a {@link Startable} class: this one stands for {@link TrustSpace#start()}. */
final class TrustSpaceStartup implements Startable {
    private TrustSpaceStartup() {
    }
}
