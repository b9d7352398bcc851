package fr.mssante.operator.trust.store;

import java.time.Instant;

/**
 * The last good liste blanche as kept in the database: the raw document (re-parsed at start) and its metadata.
 *
 * @param document the XML bytes as downloaded
 * @param sha256 hex SHA-256 of {@code document}
 * @param entryCount entries it held
 * @param generatedAt its {@code DateDeGeneration}, may be null
 * @param fetchedAt when it was downloaded
 * @param source where from
 */
public record StoredTrustList(byte[] document, String sha256, int entryCount, Instant generatedAt,
                              Instant fetchedAt, String source) {
}
