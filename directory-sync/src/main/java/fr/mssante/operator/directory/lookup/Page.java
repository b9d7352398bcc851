package fr.mssante.operator.directory.lookup;

import java.util.List;

/** One page of results; {@code hasMore} tells whether a next page exists (no costly total count). */
public record Page<T>(List<T> items, int offset, int limit, boolean hasMore) {
}
