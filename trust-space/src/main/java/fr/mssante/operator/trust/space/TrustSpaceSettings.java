package fr.mssante.operator.trust.space;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Objects;

/**
 * How the trust space is configured (deployment settings MSS_TRUST_*, see docs/features/trust-space.md).
 *
 * @param trustRoots        PEM bundle of the accepted certification authorities (IGC-Santé roots and CAs)
 * @param trustList         liste blanche location: a file path or an {@code https://} URL
 * @param refreshInterval   how often the liste blanche is fetched again
 * @param crlFiles          CRLs read from disk (reloaded at each refresh), in addition to the distribution points
 * @param fetchCrls         fetch CRLs from the certificates' distribution points (cached)
 * @param ocsp              ask the OCSP responder named by a certificate, when it names one
 * @param minRatio          a new liste blanche with fewer than this fraction of the previous entries is refused
 */
public record TrustSpaceSettings(Path trustRoots, String trustList, Duration refreshInterval, List<Path> crlFiles,
                                 boolean fetchCrls, boolean ocsp, double minRatio) {
    public TrustSpaceSettings {
        Objects.requireNonNull(trustRoots, "trustRoots");
        Objects.requireNonNull(trustList, "trustList");
        crlFiles = List.copyOf(crlFiles);
        if (refreshInterval.isNegative() || refreshInterval.isZero()) {
            throw new IllegalArgumentException("refreshInterval must be positive");
        }
    }
}
