package fr.mssante.operator.directory.parse;

/**
 * Told the diff key and the line fingerprint of each accepted row, e.g. to compare with the previous import.
 *
 * <p>An observer that knows the lines already stored (an incremental import) can also answer {@link #stored}: a line
 * stored byte for byte under the same header layout needs neither deriving nor loading again. The parser then checks
 * only that it is not a duplicate and reports it with {@link #kept} instead of handing it on.
 */
public interface KeyObserver {

    /** A row handed on to the sink. */
    void accept(String key, long fingerprint);

    /** Whether the current data already holds a line with this fingerprint (no side effect). */
    default boolean stored(long fingerprint) {
        return false;
    }

    /** A line {@link #stored} said was stored, accepted (not a duplicate) and not handed on. */
    default void kept(long fingerprint) {
        throw new UnsupportedOperationException("kept lines need stored() to be implemented");
    }
}
