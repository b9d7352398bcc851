package fr.mssante.operator.directory.parse;

/** Told the diff key and the line fingerprint of each accepted row, e.g. to compare with the previous import. */
@FunctionalInterface
public interface KeyObserver {

    void accept(String key, long fingerprint);
}
